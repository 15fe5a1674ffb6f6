import { HttpProblem, problemTypes } from "../../src/core/problem";

/** 400 naming one field. */
export const badRequestField = (path: string, detail: string, message = "is invalid") =>
  new HttpProblem({ status: 400, type: problemTypes.validation, detail, errors: [{ path, message }] });
