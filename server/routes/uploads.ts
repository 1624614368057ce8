/**
 * Multipart upload of one document file (what browsers send), beside the JSON route that carries
 * base64: same checks (R-19 no bodies for secret dossiers, size limit, type by content, no paths in names,
 * only the lead agency's own roles and issuer, only while the dossier is open for changes).
 */
import express from 'express';
import multer from 'multer';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError, forbidden } from '../errors.ts';
import { ALLOWED_CONTENT_TYPES, MAX_DOCUMENT_BYTES, documentInput } from '../schemas.ts';
import { canEditDossier } from '../../domain/access.ts';
import { visibleDossier } from '../dossiers/service.ts';
import { assertAcceptsDocuments, assertNoUbndWhileConsulting, detectFileType, fileContentNotAllowed, LEAD_AGENCY_DOOR, saveDocuments } from '../dossiers/documents.ts';
import { recordAudit } from '../../store/audit.ts';
import { inTransaction } from '../../store/transaction.ts';
import { badCharacters, nulInBody } from '../http-guards.ts';

const upload = multer({
  storage: multer.memoryStorage(),
  // Keep the name as sent, so a path in it is refused with a clear error instead of silently cut.
  preservePath: true,
  // Browsers send the file name as raw UTF-8 bytes; busboy's latin1 default garbles Vietnamese names.
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 20, fieldSize: 10_000, parts: 25 },
});

/** The metadata fields of the form, as the JSON route takes them. */
function metadata(body: Record<string, unknown>): Record<string, unknown> {
  const list = (v: unknown) => (typeof v === 'string' && v.trim() ? v.split(/\s*[;\n]\s*/).filter(Boolean) : []);
  const flag = (v: unknown) => v === 'true' || v === 'on' || v === '1';
  return {
    role: body.role,
    docType: body.docType,
    symbol: body.symbol || undefined,
    subject: body.subject ?? '',
    medium: body.medium ?? 'ELECTRONIC',
    kinhGui: list(body.kinhGui),
    noiNhan: list(body.noiNhan),
    stamped: flag(body.stamped),
    initialed: flag(body.initialed),
    hangingStamp: flag(body.hangingStamp),
    orgSign: flag(body.orgSign),
    issuerAgencyCode: body.issuerAgencyCode || undefined,
  };
}

export function uploadRouter(deps: ServerDeps): express.Router {
  const r = express.Router();
  r.post('/dossiers/:id/files', (req, res, next) => {
    upload.single('file')(req, res, (err: unknown) => {
      if (!err) return next();
      const e = err as { code?: string; message?: string };
      if (e.code === 'LIMIT_FILE_SIZE') return next(new ApiError(413, 'FILE_TOO_LARGE', 'Tệp vượt quá 10 MB.', { field: 'file' }));
      if (e.code?.startsWith('LIMIT_')) return next(new ApiError(400, 'UPLOAD_LIMIT', `Biểu mẫu tải lên vượt giới hạn (${e.code}).`));
      return next(new ApiError(400, 'MALFORMED_MULTIPART', 'Biểu mẫu tải lên không đọc được.'));
    });
  });
  r.post('/dossiers/:id/files', async (req, res) => {
    const user = currentUser(req);
    const id = String(req.params.id);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ApiError(400, 'INVALID_INPUT', 'Mã hồ sơ không hợp lệ.', { field: 'id' });
    const d = await visibleDossier(deps, user, id);
    if (!canEditDossier(user, d)) throw forbidden();
    assertAcceptsDocuments(d);
    // The form's fields come from multer, after the JSON bodies were checked: the same refusal of NUL.
    const nul = nulInBody(req.body);
    if (nul) throw badCharacters(nul);
    const file = req.file;
    if (file && file.size === 0) throw new ApiError(400, 'EMPTY_FILE', 'Tệp đính kèm rỗng.', { field: 'file' });
    // The type the browser declared is only a hint (a .docx often comes as application/octet-stream):
    // what the bytes are goes on, and saveDocuments checks them, the name and R-19 in full.
    let contentType = file?.mimetype;
    if (file) {
      const { accepted, found } = await detectFileType(file.buffer);
      contentType = accepted ?? file.mimetype;
      if (!(ALLOWED_CONTENT_TYPES as readonly string[]).includes(contentType)) throw fileContentNotAllowed(file.mimetype, found);
    }
    const input = documentInput.parse({
      ...metadata((req.body ?? {}) as Record<string, unknown>),
      ...(file ? { fileName: file.originalname, contentType, contentBase64: file.buffer.toString('base64') } : {}),
    });
    assertNoUbndWhileConsulting([input], deps.policy.rules);
    const ids = await inTransaction(deps.ds, async (m) => {
      const saved = await saveDocuments(m, d, user, [input], deps.now?.() ?? new Date(), LEAD_AGENCY_DOOR);
      await recordAudit(m, { dossierId: d.id, action: 'DOCUMENT_ADDED', actorUserId: user.id, actorRole: user.role, details: { documentId: saved[0], role: input.role, multipart: true } });
      return saved;
    });
    res.status(201).json({ documentId: ids[0] });
  });
  return r;
}
