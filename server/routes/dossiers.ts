/** Dossiers: the list, creation, the detail, changes, the start, documents and the waiver of an opinion. */
import express from 'express';
import { canEditDossier, canSeeConfidentialSubject } from '../../domain/access.ts';
import { recordAudit } from '../../store/audit.ts';
import { documentBytes, documentFile } from '../../store/documents.ts';
import { inTransaction } from '../../store/transaction.ts';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { assertAcceptsDocuments, assertNoUbndWhileConsulting, LEAD_AGENCY_DOOR, saveDocuments } from '../dossiers/documents.ts';
import { createDossier, dossierDetail, listDossiers, startDossier, updateDossier, visibleDossier } from '../dossiers/service.ts';
import { waiveOpinion } from '../dossiers/waiver.ts';
import { ApiError, forbidden, notFound } from '../errors.ts';
import { agencyParam, createDossierInput, documentInput, dossierListQuery, idParam, updateDossierInput, uuidParam, waiveInput } from '../schemas.ts';

export function dossierRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();
  const now = () => deps.now?.() ?? new Date();

  r.get('/dossiers', async (req, res) => {
    res.json(await listDossiers(deps, currentUser(req), dossierListQuery.parse(req.query)));
  });

  r.post('/dossiers', async (req, res) => {
    const dossier = await createDossier(deps, currentUser(req), createDossierInput.parse(req.body));
    // 202: stored, but the engine was away; it starts when the engine answers again.
    if (dossier.processInstanceId) res.status(201).json({ dossier });
    else res.status(202).json({ dossier, pending: { code: 'ENGINE_UNAVAILABLE', message: 'Hồ sơ đã được lưu; quy trình sẽ bắt đầu khi hệ thống xử lý quy trình hoạt động trở lại.' } });
  });

  r.get('/dossiers/:id', async (req, res) => {
    res.json(await dossierDetail(deps, currentUser(req), idParam.parse(req.params.id)));
  });

  r.patch('/dossiers/:id', async (req, res) => {
    res.json({ dossier: await updateDossier(deps, currentUser(req), idParam.parse(req.params.id), updateDossierInput.parse(req.body)) });
  });

  r.post('/dossiers/:id/start', async (req, res) => {
    res.json({ dossier: await startDossier(deps, currentUser(req), idParam.parse(req.params.id)) });
  });

  r.post('/dossiers/:id/documents', async (req, res) => {
    const user = currentUser(req);
    const d = await visibleDossier(deps, user, idParam.parse(req.params.id));
    if (!canEditDossier(user, d)) throw forbidden();
    assertAcceptsDocuments(d);
    const input = documentInput.parse(req.body);
    assertNoUbndWhileConsulting([input], deps.policy.rules);
    const ids = await inTransaction(deps.ds, async (m) => {
      const saved = await saveDocuments(m, d, user, [input], now(), LEAD_AGENCY_DOOR);
      await recordAudit(m, { dossierId: d.id, action: 'DOCUMENT_ADDED', actorUserId: user.id, actorRole: user.role, details: { documentId: saved[0], role: input.role } });
      return saved;
    });
    res.status(201).json({ documentId: ids[0] });
  });

  r.get('/documents/:id/content', async (req, res) => {
    const user = currentUser(req);
    const id = uuidParam.parse(req.params.id);
    const doc = await documentFile(deps.ds, id);
    if (!doc) throw notFound('văn bản');
    const d = await visibleDossier(deps, user, doc.dossierId);
    if (!canSeeConfidentialSubject(user, d)) throw notFound('văn bản');
    const bytes = await documentBytes(deps.ds, id);
    if (!bytes) throw new ApiError(404, 'NO_FILE_BODY', 'Văn bản không có tệp điện tử (hồ sơ mật chỉ gửi bản giấy, R-19).', { rule: 'R-19' });
    res.setHeader('content-type', doc.contentType ?? 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.fileName ?? 'van-ban')}`);
    res.send(bytes);
  });

  r.post('/dossiers/:id/opinions/:agency/waive', async (req, res) => {
    const body = waiveInput.parse(req.body);
    const agency = agencyParam.parse(req.params.agency);
    await waiveOpinion(deps, currentUser(req), idParam.parse(req.params.id), agency, body.reason);
    res.status(204).end();
  });

  return r;
}
