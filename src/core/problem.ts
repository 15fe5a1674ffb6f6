/**
 * RFC 9457 problem details. Every error the API answers goes through here, so clients
 * see one shape: type, title, status, detail, instance, requestId, and errors[] for validation.
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Problem type URIs are relative to the API and described on /docs. */
export const problemTypes = {
  validation: "/problems/validation-error",
  malformed: "/problems/malformed-request",
  notFound: "/problems/not-found",
  conflict: "/problems/conflict",
  unauthorized: "/problems/unauthorized",
  forbidden: "/problems/forbidden",
  tooLarge: "/problems/payload-too-large",
  rateLimited: "/problems/rate-limited",
  unavailable: "/problems/service-unavailable",
  invalidReference: "/problems/invalid-reference",
  internal: "/problems/internal-error",
} as const;

export class HttpProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly extensions?: Record<string, unknown>;

  constructor(init: {
    status: number;
    type?: string;
    title?: string;
    detail?: string;
    errors?: FieldError[];
    headers?: Record<string, string>;
    extensions?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(init.detail ?? init.title ?? titles[init.status] ?? "Error", { cause: init.cause });
    this.name = "HttpProblem";
    this.status = init.status;
    this.type = init.type ?? "about:blank";
    this.title = init.title ?? titles[init.status] ?? "Error";
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers;
    this.extensions = init.extensions;
  }
}

export const notFound = (detail = "The resource does not exist.") => new HttpProblem({ status: 404, type: problemTypes.notFound, detail });
export const conflict = (detail: string, errors?: FieldError[]) =>
  new HttpProblem({ status: 409, type: problemTypes.conflict, detail, errors });
export const unauthorized = (detail = "Missing or invalid credentials.") =>
  new HttpProblem({ status: 401, type: problemTypes.unauthorized, detail, headers: { "WWW-Authenticate": 'Bearer realm="api"' } });
/** 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1): a credential was sent and refused. */
export function invalidToken(detail: string): HttpProblem {
  const quoted = detail.replace(/["\\]/g, "");
  return new HttpProblem({
    status: 401,
    type: problemTypes.unauthorized,
    detail,
    headers: { "WWW-Authenticate": `Bearer realm="api", error="invalid_token", error_description="${quoted}"` },
  });
}
export const forbidden = (detail = "Not allowed.") => new HttpProblem({ status: 403, type: problemTypes.forbidden, detail });
export const unavailable = (detail: string, retryAfterSeconds = 5) =>
  new HttpProblem({ status: 503, type: problemTypes.unavailable, detail, headers: { "Retry-After": String(retryAfterSeconds) } });

export function problemJson(problem: HttpProblem, meta: { instance?: string; requestId?: string } = {}): Response {
  const body: ProblemBody = {
    type: problem.type,
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(meta.instance ? { instance: meta.instance } : {}),
    ...(meta.requestId ? { requestId: meta.requestId } : {}),
    ...(problem.errors?.length ? { errors: problem.errors } : {}),
    ...problem.extensions,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json", ...problem.headers },
  });
}
