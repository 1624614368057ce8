/** The typeorm DataSource shared by the server and the workers. Schema changes go through migrations only. */
import { DataSource } from 'typeorm';
import { IDLE_CONNECTION_MS, PreparingClient } from './round-trips.ts';
import * as organisation from './entities/organisation.ts';
import * as dossier from './entities/dossier.ts';
import * as steps from './entities/steps.ts';
import * as calendar from './entities/calendar.ts';
import { InitialSchema1732600000000 } from './migrations/1732600000000-initial-schema.ts';
import { Sessions1732600000001 } from './migrations/1732600000001-sessions.ts';
import { SignaturePerSigner1732600000002 } from './migrations/1732600000002-signature-per-signer.ts';
import { LoginFailures1732600000003 } from './migrations/1732600000003-login-failures.ts';
import { UbndInstruction1732600000020 } from './migrations/1732600000020-ubnd-instruction.ts';
import { LockedDocuments1732600000021 } from './migrations/1732600000021-locked-documents.ts';
import { TaskCompletion1732600000022 } from './migrations/1732600000022-task-completion.ts';
import { ListIndexes1732600000010 } from './migrations/1732600000010-list-indexes.ts';
import { DocumentVersions1732600000030 } from './migrations/1732600000030-document-versions.ts';
import { TextSearch1732600000031 } from './migrations/1732600000031-text-search.ts';
import { ListOrderIndexes1732600000032 } from './migrations/1732600000032-list-order-indexes.ts';
import { DossierParties1732600000033 } from './migrations/1732600000033-dossier-parties.ts';
import { DossierPartyLead1732600000034 } from './migrations/1732600000034-dossier-party-lead.ts';
import { SignInLimits1732600000130 } from './migrations/1732600000130-sign-in-limits.ts';
import { IncomingRegisteredFor1732600000131 } from './migrations/1732600000131-incoming-registered-for.ts';
import { RuleWarnings1732600000220 } from './migrations/1732600000220-rule-warnings.ts';
import { DeploymentProposals1732600000110 } from './migrations/1732600000110-deployment-proposals.ts';
import { AssignedTaskProcess1732600000240 } from './migrations/1732600000240-assigned-task-process.ts';
import { LiveEvents1732600000260 } from './migrations/1732600000260-live-events.ts';
import { SigningCapacity1732600000330 } from './migrations/1732600000330-signing-capacity.ts';
import { ConfidentialMetadataOnly1732600000331 } from './migrations/1732600000331-confidential-metadata-only.ts';
import { PaperReceipt1732600000332 } from './migrations/1732600000332-paper-receipt.ts';
import { ReferenceData1732600000300 } from './migrations/1732600000300-reference-data.ts';
import { CalendarDays1732600000340 } from './migrations/1732600000340-calendar-days.ts';
import { ProposalForms1732600000400 } from './migrations/1732600000400-proposal-forms.ts';
import { Calendar2026Announced1732600000450 } from './migrations/1732600000450-calendar-2026-announced.ts';
import { ConfidentialStepsMetadataOnly1732600000451 } from './migrations/1732600000451-confidential-steps-metadata-only.ts';
import { OpinionSignOff1732600000310 } from './migrations/1732600000310-opinion-sign-off.ts';

export const ENTITIES = [
  organisation.AgencyEntity,
  organisation.UserEntity,
  organisation.DelegationEntity,
  organisation.AuthorityRuleEntity,
  organisation.LegalBasisTypeEntity,
  organisation.AssignedTaskEntity,
  dossier.DossierEntity,
  dossier.DocumentEntity,
  dossier.DocumentBodyEntity,
  dossier.CertificateEntity,
  dossier.SigningKeyEntity,
  dossier.DocumentSignatureEntity,
  steps.OpinionRequestEntity,
  steps.OpinionEntity,
  steps.AppraisalEntity,
  steps.SignatureEntity,
  steps.SubmissionEntity,
  steps.DossierReturnEntity,
  steps.IncomingDocumentEntity,
  steps.ProactiveHandlingEntity,
  steps.NotificationEntity,
  steps.AuditEventEntity,
  calendar.CalendarDayEntity,
];

export const MIGRATIONS = [InitialSchema1732600000000, Sessions1732600000001, SignaturePerSigner1732600000002, LoginFailures1732600000003, ListIndexes1732600000010, UbndInstruction1732600000020, LockedDocuments1732600000021, TaskCompletion1732600000022, DocumentVersions1732600000030, TextSearch1732600000031, ListOrderIndexes1732600000032, DossierParties1732600000033, DossierPartyLead1732600000034, SignInLimits1732600000130, DeploymentProposals1732600000110, IncomingRegisteredFor1732600000131, LiveEvents1732600000260, AssignedTaskProcess1732600000240, RuleWarnings1732600000220, ReferenceData1732600000300, OpinionSignOff1732600000310, CalendarDays1732600000340, SigningCapacity1732600000330, ConfidentialMetadataOnly1732600000331, PaperReceipt1732600000332, Calendar2026Announced1732600000450, ProposalForms1732600000400, ConfidentialStepsMetadataOnly1732600000451];

/** What an index lookup costs against a sequential page read, for our sessions (see createDataSource). */
export const RANDOM_PAGE_COST = 1.1;

export function createDataSource(url: string, opts: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    logging: ['error'],
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.applicationName ?? 'ho-so-trinh',
    extra: {
      // A dead database must answer fast so the API can say 503 instead of hanging.
      connectionTimeoutMillis: 3000,
      // Every parameterised statement prepared once per connection (store/round-trips.ts).
      Client: PreparingClient,
      // Idle connections kept a minute (pg's default: 10 s): a new backend costs a fork and cold
      // catalog caches (its first statements planned in 5–7 ms instead of 0.5 ms), and the
      // statements prepared on a connection go with it.
      idleTimeoutMillis: IDLE_CONNECTION_MS,
      statement_timeout: 15_000,
      idle_in_transaction_session_timeout: 30_000,
      // PostgreSQL's default random_page_cost (4) prices an index lookup for a spinning disk. Our
      // tables live in memory or on SSD; at the default, the dossier lists walked the creation-date
      // index past thousands of rows instead of reading a page through the status index, and
      // capped counts scanned the heap.
      options: `-c random_page_cost=${RANDOM_PAGE_COST}`,
    },
  });
}

/** Connects and applies pending migrations (each in its own transaction). */
export async function openDatabase(url: string, opts: { poolSize?: number; applicationName?: string; migrate?: boolean } = {}): Promise<DataSource> {
  // Migrating holds one connection for the lock and needs another to run: never fewer than two.
  const ds = createDataSource(url, { ...opts, poolSize: Math.max(2, opts.poolSize ?? 10) });
  await ds.initialize();
  if (opts.migrate !== false) {
    // Several processes may start together: one migrates while the others wait on the lock.
    // The lock is held by one connection, so it takes its own query runner.
    const lock = ds.createQueryRunner();
    await lock.query('SELECT pg_advisory_lock(7355608)');
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock(7355608)');
      await lock.release();
    }
  }
  return ds;
}

/** Answers when the database does (the readiness check). */
export async function pingDatabase(ds: DataSource): Promise<void> {
  await ds.query('SELECT 1');
}
