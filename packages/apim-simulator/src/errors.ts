// APIM's error bodies: the Automation and mAPI v2 shape, and the older mAPI v1 shape.
import type { Response } from 'express';

export interface Problem {
  message: string;
  location?: string;
  invalidValue?: unknown;
}

export function automationError(
  res: Response,
  status: number,
  message: string,
  technicalCode: string,
  details: Problem[] = [],
): void {
  res
    .status(status)
    .json({ httpStatus: status, message, technicalCode, parameters: {}, ...(details.length > 0 ? { details } : {}) });
}

export function v1Error(res: Response, status: number, message: string, technicalCode: string): void {
  res.status(status).json({ message, http_status: status, technicalCode, parameters: {} });
}
