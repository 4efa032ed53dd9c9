import { createRouter, createWebHashHistory, type Router } from 'vue-router';
import BrowserView from './views/BrowserView.vue';
import ClusterOverviewView from './views/ClusterOverviewView.vue';
import GroupView from './views/GroupView.vue';
import GroupsView from './views/GroupsView.vue';
import ProducerView from './views/ProducerView.vue';
import SettingsView from './views/SettingsView.vue';
import TopicView from './views/TopicView.vue';
import TopicsView from './views/TopicsView.vue';

/**
 * Hash history: works from a file:// page in Electron and from the headless host alike.
 * Views are imported eagerly: everything is local, and the first paint must not wait on a chunk.
 * Query parameters carry view state worth linking to (`/browse?topic=orders&partition=2`).
 */
export function createEddyRouter(): Router {
  return createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', redirect: '/cluster' },
      { path: '/cluster', name: 'cluster', component: ClusterOverviewView },
      { path: '/topics', name: 'topics', component: TopicsView },
      { path: '/topics/:name', name: 'topic', component: TopicView, props: true },
      { path: '/groups', name: 'groups', component: GroupsView },
      { path: '/groups/:groupId', name: 'group', component: GroupView, props: true },
      { path: '/produce', name: 'produce', component: ProducerView },
      { path: '/browse', name: 'browse', component: BrowserView },
      { path: '/settings', name: 'settings', component: SettingsView },
      { path: '/:rest(.*)*', redirect: '/cluster' },
    ],
  });
}
