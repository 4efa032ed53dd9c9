import { createPinia } from 'pinia';
import { createApp } from 'vue';
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
app.mount('#app');
