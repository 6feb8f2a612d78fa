/**
 * What a merchant's tool does to import stock, over the public API only: log in, ask for an upload URL for
 * the store, PUT the CSV with exactly the signed headers, then follow the import until it finishes.
 * Used by `npm run merchant:upload` and by the e2e test, against any base URL (the local gateway, or a
 * deployed stage).
 */
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The API's upload limit (functions/imports: 10 MB); checked here to fail before asking for a URL. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const FINAL = new Set(['SUCCEEDED', 'PARTIALLY_APPLIED', 'REJECTED', 'FAILED']);

export interface ImportView {
  readonly importId: string;
  readonly storeId: string;
  readonly status: string;
  readonly counts: { rows: number; valid: number; applied: number; superseded: number; rejected: number };
  readonly errors: readonly { line: number; column?: string; reason: string }[];
  readonly reportUrl?: string;
  /** Why the file was REJECTED or the import FAILED. */
  readonly reason?: string;
}

export interface UploadRequest {
  readonly baseUrl: string;
  readonly file: string;
  readonly storeId: string;
  readonly email: string;
  readonly password: string;
  /** Called on every poll with the import as it is. */
  readonly onProgress?: (view: ImportView) => void;
  /** Between polls. @default 250 ms */
  readonly pollMs?: number;
  /** Gives up (throws) after this long without a final status. @default 10 minutes */
  readonly timeoutMs?: number;
}

export class UploadError extends Error {}

export async function uploadInventory(request: UploadRequest): Promise<ImportView> {
  const size = (await stat(request.file)).size;
  if (size > MAX_UPLOAD_BYTES)
    throw new UploadError(`${request.file} is ${size} bytes; an import takes at most ${MAX_UPLOAD_BYTES}.`);
  const call = api(request.baseUrl);
  const login = await call('POST', '/v1/auth/login', {
    json: { email: request.email, password: request.password },
  });
  const token = String(login.accessToken);
  const created = await call(
    'POST',
    `/v1/merchant/stores/${encodeURIComponent(request.storeId)}/inventory-imports`,
    { token, json: { contentLength: size } },
  );
  // The signature covers the type and the length: send exactly the headers the API names.
  const put = await fetch(String(created.uploadUrl), {
    method: String(created.method),
    headers: created.headers as Record<string, string>,
    body: await readFile(request.file),
  });
  if (!put.ok) throw new UploadError(`The upload was refused (${put.status}): ${await put.text()}`);

  const deadline = Date.now() + (request.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const view = (await call('GET', `/v1/merchant/inventory-imports/${String(created.importId)}`, {
      token,
    })) as unknown as ImportView;
    request.onProgress?.(view);
    if (FINAL.has(view.status)) return view;
    if (Date.now() > deadline)
      throw new UploadError(`Import ${view.importId} is still ${view.status}; follow it with its GET route.`);
    await sleep(request.pollMs ?? 250);
  }
}

function api(baseUrl: string) {
  return async (
    method: string,
    path: string,
    opts: { token?: string; json?: unknown } = {},
  ): Promise<Record<string, unknown>> => {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
    }).catch((err: unknown) => {
      throw new UploadError(
        `Cannot reach ${baseUrl} (${String((err as Error).cause ?? err)}): is the platform running (npm start)?`,
      );
    });
    const text = await res.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok)
      throw new UploadError(`${method} ${path}: ${res.status} ${String(body.detail ?? body.title ?? text)}`);
    return body;
  };
}
