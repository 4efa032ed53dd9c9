export type ElectronRuntime = { ok: true; binary: string } | { ok: false; reason: string };
export function findElectron(options?: { allowRoot?: boolean }): ElectronRuntime;
export function findOrFetchElectron(options?: {
  timeoutMs?: number;
  onSlow?: () => void;
}): Promise<ElectronRuntime>;
