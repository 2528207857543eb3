// Errors a handler raises; the server turns each into PVE's answer for it.

/** A failed request: HTTP status, reason text, and per-parameter errors for a 400. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: Record<string, string> | null;
  /** PVE answers authentication failures with the reason phrase only and an empty body. */
  readonly emptyBody: boolean;

  constructor(
    status: number,
    message: string,
    options: { errors?: Record<string, string>; emptyBody?: boolean } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errors = options.errors ?? null;
    this.emptyBody = options.emptyBody ?? false;
  }
}

/** 401 with only a reason phrase (`No ticket`, `authentication failure`, ...). */
export function authError(reason: string): ApiError {
  return new ApiError(401, reason, { emptyBody: true });
}

/** 403 `Permission check failed (<path>, <privs>)`; `any` lists the alternatives joined by `|`. */
export function permissionError(path: string, privileges: readonly string[]): ApiError {
  return new ApiError(403, `Permission check failed (${path}, ${privileges.join('|')})`);
}

/** 400 `Parameter verification failed.` with the reason for each bad parameter. */
export function parameterError(errors: Record<string, string>): ApiError {
  return new ApiError(400, 'Parameter verification failed.', { errors });
}

/** 500 with a message, which is how PVE reports a refused operation. */
export function serverError(message: string): ApiError {
  return new ApiError(500, message);
}
