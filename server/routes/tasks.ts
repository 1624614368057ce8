/** The engine's user tasks as people see them: lists, a task with its form, claiming and completing. */
import express from 'express';
import { z } from 'zod';
import { fromEngineVariables } from '../../platform/engine/variables.ts';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { visibleDossier } from '../dossiers/service.ts';
import { taskFormContext } from '../forms/context.ts';
import { presentTask } from '../present/dossier.ts';
import { idParam, taskListQuery } from '../schemas.ts';
import { completeTask, formKeyOf } from '../tasks/complete.ts';
import { claimTask, listTasks, unclaimTask, visibleTask, withDossierFacts } from '../tasks/service.ts';

export function taskRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();

  r.get('/tasks', async (req, res) => {
    res.json(await listTasks(deps, currentUser(req), taskListQuery.parse(req.query)));
  });

  r.get('/tasks/:id', async (req, res) => {
    const user = currentUser(req);
    const task = await visibleTask(deps, user, idParam.parse(req.params.id));
    // The form shows why the dossier came back to this step (Task_Revise, Task_Sign, Task_Appraise…).
    const vars = fromEngineVariables(await deps.engine.taskVariables(task.id));
    const dossier = task.dossierId ? await visibleDossier(deps, user, task.dossierId) : null;
    const lastError = typeof vars.lastErrorCode === 'string' ? { code: vars.lastErrorCode, message: typeof vars.lastErrorMessage === 'string' ? vars.lastErrorMessage : '' } : null;
    // The message quotes notes and reasons: the presenter keeps it to those entitled on a secret dossier.
    const [withFacts] = await withDossierFacts(deps, user, [task]);
    res.json({ task: presentTask(user, { ...withFacts!, form: formKeyOf(task) }, dossier, lastError) });
  });

  // The task's form-js schema as deployed with its diagram and the data it reads (options, conditions' facts): exactly what the server validates against.
  r.get('/tasks/:id/form', async (req, res) => {
    const user = currentUser(req);
    const task = await visibleTask(deps, user, idParam.parse(req.params.id));
    const formKey = formKeyOf(task);
    const { schema } = await deps.taskForms.formOf(task);
    res.json({ formKey, schema, data: await taskFormContext(deps, user, task) });
  });

  r.post('/tasks/:id/claim', async (req, res) => {
    await claimTask(deps, currentUser(req), idParam.parse(req.params.id));
    res.status(204).end();
  });

  r.post('/tasks/:id/unclaim', async (req, res) => {
    await unclaimTask(deps, currentUser(req), idParam.parse(req.params.id));
    res.status(204).end();
  });

  r.post('/tasks/:id/complete', async (req, res) => {
    const { dryRun } = z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict().parse(req.query);
    res.json(await completeTask(deps, currentUser(req), idParam.parse(req.params.id), req.body, { dryRun: dryRun === 'true' }));
  });

  return r;
}
