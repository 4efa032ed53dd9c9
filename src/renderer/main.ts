import { createPinia } from 'pinia';
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import 'element-plus/theme-chalk/dark/css-vars.css';
import '@fontsource/jetbrains-mono/400.css';
import '@fontsource/jetbrains-mono/700.css';
import 'uplot/dist/uPlot.min.css';
import App from './App.vue';
import { connectToEngine, EDDY_API } from './api/index.js';
import { createEddyI18n } from './i18n/index.js';
import { createEddyRouter } from './router.js';
import './styles/main.css';

// Read the access token out of the fragment before the router takes the hash over.
const api = connectToEngine(window);

const app = createApp(App);
app.provide(EDDY_API, api);
app.use(createPinia());
app.use(createEddyI18n());
app.use(createEddyRouter());
// Element Plus: the component library. Its CSS is plain files (no style injection), so the strict
// `style-src 'self'` policy holds. Its locale follows ours in App.vue (ElConfigProvider).
app.use(ElementPlus);
app.mount('#app');
