import { createRouter, createWebHashHistory, type Router } from 'vue-router';
import ClusterOverviewView from './views/ClusterOverviewView.vue';

/** Hash history: works from a file:// page in Electron and from the headless host alike. */
export function createEddyRouter(): Router {
  return createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', redirect: '/cluster' },
      { path: '/cluster', name: 'cluster', component: ClusterOverviewView },
      { path: '/:rest(.*)*', redirect: '/cluster' },
    ],
  });
}
