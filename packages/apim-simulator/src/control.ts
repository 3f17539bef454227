// The routes under /_simulator, outside the APIM paths, through which tests steer a simulator that
// runs in another process. They are mounted before the request log and the in-flight count: they
// are not requests of the operator.
import express, { type Response, type Router } from 'express';
import { EditError, editObject, isEditableKind, removeObject, type EditScope } from './edits.ts';
import type { FaultInjector, Faults } from './faults.ts';
import type { InFlight } from './in-flight.ts';
import type { RecordedRequest } from './request-log.ts';
import type { SimulatorState } from './state.ts';

export interface Controlled {
  state: SimulatorState;
  log: RecordedRequest[];
  faults: FaultInjector;
  inFlight: InFlight;
}

const problem = (res: Response, status: number, message: string) => void res.status(status).json({ message });

function scopeOf(query: Record<string, unknown>): EditScope {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const organizationId = text(query['organizationId']);
  const environmentId = text(query['environmentId']);
  return { ...(organizationId ? { organizationId } : {}), ...(environmentId ? { environmentId } : {}) };
}

function guarded(res: Response, action: () => void): void {
  try {
    action();
  } catch (error) {
    if (error instanceof EditError) problem(res, error.status, error.message);
    else throw error;
  }
}

export function controlRoutes({ state, log, faults, inFlight }: Controlled): Router {
  const router = express.Router();
  router.get('/requests', (_req, res) => void res.json(log));
  router.delete('/requests', (_req, res) => void ((log.length = 0), res.status(204).end()));
  router.put('/faults', (req, res) => void (faults.set(req.body as Faults), res.json(faults.current())));
  router.delete('/faults', (_req, res) => void (faults.clear(), res.status(204).end()));
  router.get('/stats', (_req, res) => void res.json(inFlight.stats()));
  router.delete('/stats', (_req, res) => void (inFlight.resetMax(), res.status(204).end()));
  router.post('/reset', (_req, res) => {
    state.reset();
    log.length = 0;
    inFlight.resetMax();
    res.status(204).end();
  });

  // Console edits: PATCH merges the body into the object and answers it; DELETE removes it.
  // ?organizationId=&environmentId= choose another environment than DEFAULT / DEFAULT.
  router.patch('/objects/:kind/:key', (req, res) => {
    const { kind, key } = req.params;
    if (!isEditableKind(kind)) return problem(res, 400, `[${kind}] is not a kind that can be edited`);
    const patch: unknown = req.body;
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      return problem(res, 400, 'the body must be a JSON object');
    guarded(res, () => {
      const edited = editObject(state, kind, key, patch, scopeOf(req.query));
      if (edited) res.json(edited);
      else problem(res, 404, `${kind} [${key}] cannot be found`);
    });
  });
  router.delete('/objects/:kind/:key', (req, res) => {
    const { kind, key } = req.params;
    if (!isEditableKind(kind)) return problem(res, 400, `[${kind}] is not a kind that can be edited`);
    guarded(res, () => {
      if (removeObject(state, kind, key, scopeOf(req.query))) res.status(204).end();
      else problem(res, 404, `${kind} [${key}] cannot be found`);
    });
  });
  return router;
}
