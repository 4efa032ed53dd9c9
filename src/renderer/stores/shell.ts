/** Which shell overlays are open (command palette, connections dialog): any component may open them. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useShellStore = defineStore('shell', () => {
  const paletteOpen = ref(false);
  const connectionsOpen = ref(false);
  return { paletteOpen, connectionsOpen };
});
