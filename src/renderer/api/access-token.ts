/**
 * The headless host hands the page a per-run token in the URL fragment (`#token=…`). It is moved to
 * sessionStorage at once, so a reload of this tab still has it and the address bar no longer shows it.
 */
const STORAGE_KEY = 'eddy.accessToken';
const FRAGMENT = /^#token=([A-Za-z0-9_-]{16,128})$/;

export function takeAccessToken(win: Window = window): string | null {
  const match = FRAGMENT.exec(win.location.hash);
  if (match) {
    try {
      win.sessionStorage.setItem(STORAGE_KEY, match[1]);
    } catch {
      // storage disabled: the token lives only as long as this page
    }
    win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}#/`);
    return match[1];
  }
  try {
    return win.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
