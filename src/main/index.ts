/**
 * Electron main: one instance, one secure window, the engine started with the app and stopped
 * cleanly before it quits. The window talks to the engine only through the UI contract over IPC.
 */
import path from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { engineServices, type HostServices } from '../headless/engine-services.js';
import { hostEngine, type EngineHost } from './engine-host.js';
import { bindRpc } from './ipc.js';
import { installMenu } from './menu.js';
import { createSecureWindow, lockDownContents } from './window.js';

const log = (m: string) => console.log(`[eddy] ${m}`);

/** One set of services for the app: every window sees the same active cluster and profiles. */
function createServices(engineHost: EngineHost, userDataDir: string): HostServices {
  return engineServices(engineHost.engine, {
    profilesFile: path.join(userDataDir, 'connections.json'),
    settings: engineHost.settings,
    restart: (settings, use) => engineHost.restart(settings, use),
    version: app.getVersion(),
    shell: 'desktop',
  });
}

function createMainWindow(services: HostServices): BrowserWindow {
  const win = createSecureWindow({ title: 'Eddy' });
  bindRpc(win.webContents, services, log);
  return win;
}

function main(): void {
  // Tests run the app against a throw-away profile (and so a throw-away cluster).
  if (process.env['EDDY_USER_DATA_DIR']) app.setPath('userData', process.env['EDDY_USER_DATA_DIR']);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));

  let engineHost: EngineHost | null = null;
  let services: HostServices | null = null;
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  void app.whenReady().then(() => {
    // The page needs no camera, microphone, notifications or other powers.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    installMenu({ isPackaged: app.isPackaged });
    engineHost = hostEngine(app.getPath('userData'));
    const appServices = createServices(engineHost, app.getPath('userData'));
    services = appServices;
    mainWindow = createMainWindow(appServices);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(appServices);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Hold the quit until the brokers have flushed and closed their logs.
  let engineStopped = false;
  app.on('before-quit', (event) => {
    if (engineStopped || !engineHost) return;
    event.preventDefault();
    const host = engineHost;
    void Promise.resolve(services?.dispose())
      .catch(() => undefined)
      .then(() => host.stop())
      .finally(() => {
        engineStopped = true;
        log('engine stopped');
        app.quit();
      });
  });
}

main();
