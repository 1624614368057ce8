import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole business record. Unique constraints carry idempotency. */
export class InitialSchema1732600000000 implements MigrationInterface {
  name = 'InitialSchema1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agency (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
        symbol_abbr text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        fields text[] NOT NULL DEFAULT '{}',
        head_user_id text,
        head_is_ubnd_member boolean NOT NULL DEFAULT false,
        parent_code text REFERENCES agency(code),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE app_user (
        id text PRIMARY KEY,
        username text NOT NULL UNIQUE,
        full_name text NOT NULL,
        agency_code text NOT NULL REFERENCES agency(code),
        position text NOT NULL,
        role text NOT NULL,
        clearance text NOT NULL DEFAULT 'NONE',
        password_hash text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX app_user_agency ON app_user(agency_code);
      ALTER TABLE agency ADD CONSTRAINT agency_head_fk FOREIGN KEY (head_user_id) REFERENCES app_user(id) DEFERRABLE INITIALLY DEFERRED;

      -- R-06: a head's delegation of signing to a deputy.
      CREATE TABLE delegation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_code text NOT NULL REFERENCES agency(code),
        grantor_user_id text NOT NULL REFERENCES app_user(id),
        grantee_user_id text NOT NULL REFERENCES app_user(id),
        matter_categories text[] NOT NULL DEFAULT '{}',
        dossier_ids text[] NOT NULL DEFAULT '{}',
        valid_from timestamptz NOT NULL,
        valid_to timestamptz NOT NULL,
        reason text NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to > valid_from)
      );
      CREATE INDEX delegation_grantee ON delegation(grantee_user_id);

      -- R-01/02: which authority is competent for a matter category (configuration data).
      CREATE TABLE authority_matrix (
        matter_category text PRIMARY KEY,
        competent_authority text NOT NULL,
        description text NOT NULL DEFAULT ''
      );

      CREATE TABLE assigned_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_ref text NOT NULL,
        assigned_by text NOT NULL,
        assigned_by_name text NOT NULL DEFAULT '',
        assignee_agency_code text NOT NULL REFERENCES agency(code),
        to_ubnd_member_head boolean NOT NULL DEFAULT false,
        content text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'OPEN',
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE SEQUENCE dossier_number_seq;
      CREATE TABLE dossier (
        id text PRIMARY KEY,
        subject text NOT NULL,
        matter_category text NOT NULL,
        decision_authority text NOT NULL,
        lead_agency_code text NOT NULL REFERENCES agency(code),
        accountable_user_id text REFERENCES app_user(id),
        created_by text REFERENCES app_user(id),
        assigned_task_id uuid REFERENCES assigned_task(id),
        assigned_to_ubnd_member boolean NOT NULL DEFAULT false,
        is_legal_normative boolean NOT NULL DEFAULT false,
        requires_appraisal boolean NOT NULL DEFAULT false,
        appraiser_agency_code text REFERENCES agency(code),
        urgency text NOT NULL DEFAULT 'THUONG',
        urgent_reason text,
        secrecy_level text NOT NULL DEFAULT 'NONE',
        channel text NOT NULL DEFAULT 'ELECTRONIC',
        legal_basis jsonb NOT NULL DEFAULT '[]',
        practical_basis text NOT NULL DEFAULT '',
        proposal text NOT NULL DEFAULT '',
        options jsonb NOT NULL DEFAULT '[]',
        consulted_agency_codes text[] NOT NULL DEFAULT '{}',
        opinion_summary jsonb NOT NULL DEFAULT '[]',
        chosen_option_id text,
        choice_rationale text,
        due_at timestamptz,
        status text NOT NULL DEFAULT 'DRAFT',
        overdue boolean NOT NULL DEFAULT false,
        round integer NOT NULL DEFAULT 1,
        process_instance_id text UNIQUE,
        external_ref text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      );
      CREATE INDEX dossier_lead_status ON dossier(lead_agency_code, status);
      CREATE INDEX dossier_status_created ON dossier(status, created_at DESC);
      CREATE INDEX dossier_created ON dossier(created_at DESC);

      CREATE TABLE document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_id text NOT NULL REFERENCES dossier(id),
        role text NOT NULL,
        doc_type text NOT NULL,
        symbol text,
        number integer,
        year integer,
        issued_at timestamptz,
        place text,
        subject text NOT NULL DEFAULT '',
        issuer_agency_code text REFERENCES agency(code),
        signer_user_id text REFERENCES app_user(id),
        signer_position text,
        signing_form text NOT NULL DEFAULT 'NONE',
        kinh_gui text[] NOT NULL DEFAULT '{}',
        noi_nhan text[] NOT NULL DEFAULT '{}',
        medium text NOT NULL DEFAULT 'ELECTRONIC',
        stamped boolean NOT NULL DEFAULT false,
        initialed boolean NOT NULL DEFAULT false,
        hanging_stamp boolean NOT NULL DEFAULT false,
        file_name text,
        content_type text,
        size_bytes integer,
        sha256 text,
        version integer NOT NULL DEFAULT 1,
        locked boolean NOT NULL DEFAULT false,
        created_by text REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX document_dossier ON document(dossier_id);
      -- One registered number per issuer, year and series (Decree 30: numbering restarts each year).
      CREATE UNIQUE INDEX document_registered_number ON document(issuer_agency_code, year, doc_type, number) WHERE number IS NOT NULL;

      -- Bodies apart from metadata, so lists never load them; never a row for a secret dossier (R-19).
      CREATE TABLE document_body (
        document_id uuid PRIMARY KEY REFERENCES document(id),
        bytes bytea NOT NULL
      );

      CREATE TABLE certificate (
        serial text PRIMARY KEY,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        agency_code text NOT NULL REFERENCES agency(code),
        public_key_pem text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz NOT NULL,
        record jsonb NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX certificate_subject ON certificate(subject_kind, subject_id);

      -- Demo key custody: the server signs on the authenticated user's behalf.
      CREATE TABLE signing_key (
        cert_serial text PRIMARY KEY REFERENCES certificate(serial),
        private_key_pem text NOT NULL
      );

      CREATE TABLE document_signature (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id uuid NOT NULL REFERENCES document(id),
        kind text NOT NULL CHECK (kind IN ('PERSON', 'ORGANISATION')),
        cert_serial text NOT NULL REFERENCES certificate(serial),
        sha256 text NOT NULL,
        signed_at timestamptz NOT NULL,
        record jsonb NOT NULL,
        UNIQUE (document_id, kind, sha256)
      );

      CREATE TABLE opinion_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_id text NOT NULL REFERENCES dossier(id),
        agency_code text NOT NULL REFERENCES agency(code),
        round integer NOT NULL,
        request_doc_id uuid REFERENCES document(id),
        sent_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz NOT NULL,
        reminded_at timestamptz[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'PENDING',
        waived_by text REFERENCES app_user(id),
        waived_at timestamptz,
        waiver_reason text,
        UNIQUE (dossier_id, agency_code, round)
      );
      CREATE INDEX opinion_request_agency_status ON opinion_request(agency_code, status);

      CREATE TABLE opinion (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES opinion_request(id),
        dossier_id text NOT NULL REFERENCES dossier(id),
        agency_code text NOT NULL REFERENCES agency(code),
        round integer NOT NULL,
        position text NOT NULL,
        preferred_option_id text,
        content text NOT NULL,
        doc_id uuid REFERENCES document(id),
        signed_by_user_id text REFERENCES app_user(id),
        signer_role text,
        received_at timestamptz NOT NULL DEFAULT now(),
        late boolean NOT NULL DEFAULT false,
        change_reason text,
        task_id text UNIQUE
      );
      CREATE INDEX opinion_dossier ON opinion(dossier_id);

      CREATE TABLE appraisal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_id text NOT NULL REFERENCES dossier(id),
        round integer NOT NULL,
        appraiser_agency_code text NOT NULL REFERENCES agency(code),
        kind text NOT NULL DEFAULT 'LEGAL_NORMATIVE',
        requested_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz,
        status text NOT NULL DEFAULT 'REQUESTED',
        conclusion text,
        lawful boolean,
        reasons text,
        report_doc_id uuid REFERENCES document(id),
        response_doc_id uuid REFERENCES document(id),
        appraised_by text REFERENCES app_user(id),
        task_id text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX appraisal_dossier ON appraisal(dossier_id, created_at DESC);

      CREATE TABLE signature (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_id text NOT NULL REFERENCES dossier(id),
        document_id uuid NOT NULL REFERENCES document(id),
        round integer NOT NULL,
        signer_user_id text NOT NULL REFERENCES app_user(id),
        signer_role text NOT NULL,
        signing_form text NOT NULL DEFAULT 'NONE',
        authorization_id uuid REFERENCES delegation(id),
        urgent_reason text,
        stamped boolean NOT NULL DEFAULT false,
        personal_sig_ok boolean,
        org_sig_ok boolean,
        signed_at timestamptz NOT NULL DEFAULT now(),
        accountable_user_id text REFERENCES app_user(id),
        verification jsonb,
        task_id text UNIQUE
      );
      CREATE INDEX signature_dossier ON signature(dossier_id, signed_at DESC);

      CREATE TABLE submission (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_id text NOT NULL REFERENCES dossier(id),
        round integer NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        channel text NOT NULL,
        office_registration_no text,
        intake_status text NOT NULL DEFAULT 'RECEIVED',
        return_reason text,
        note text,
        leader_decision text,
        UNIQUE (dossier_id, round)
      );

      -- R-30: every return, by the Office or by a gate, with its reason.
      CREATE TABLE dossier_return (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_id text NOT NULL REFERENCES dossier(id),
        round integer NOT NULL,
        source text NOT NULL,
        reason text NOT NULL,
        note text,
        by_user_id text REFERENCES app_user(id),
        at timestamptz NOT NULL DEFAULT now(),
        idempotency_key text NOT NULL UNIQUE
      );
      CREATE INDEX dossier_return_dossier ON dossier_return(dossier_id);

      -- R-23: documents co-addressed to several agencies, handled without waiting for UBND.
      CREATE TABLE incoming_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        issuer text NOT NULL,
        number_symbol text NOT NULL,
        subject text NOT NULL DEFAULT '',
        received_at timestamptz NOT NULL DEFAULT now(),
        kinh_gui text[] NOT NULL DEFAULT '{}',
        noi_nhan text[] NOT NULL DEFAULT '{}',
        requests_action boolean NOT NULL DEFAULT true,
        co_addressed_agency_codes text[] NOT NULL DEFAULT '{}',
        process_instance_id text,
        registered_by text REFERENCES app_user(id),
        UNIQUE (issuer, number_symbol)
      );
      CREATE TABLE proactive_handling (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incoming_document_id uuid NOT NULL REFERENCES incoming_document(id),
        agency_code text NOT NULL REFERENCES agency(code),
        started_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz NOT NULL,
        first_action_at timestamptz,
        status text NOT NULL DEFAULT 'OPEN',
        reactive_only boolean NOT NULL DEFAULT false,
        UNIQUE (incoming_document_id, agency_code)
      );

      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_id text REFERENCES dossier(id),
        kind text NOT NULL,
        recipient_group text NOT NULL,
        message text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        idempotency_key text NOT NULL UNIQUE
      );

      -- Append-only audit trail (R-08: the accountable head on every event).
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_user_id text,
        actor_role text,
        on_behalf_of text,
        dossier_id text REFERENCES dossier(id),
        action text NOT NULL,
        from_status text,
        to_status text,
        rule_id text,
        error_code text,
        details jsonb NOT NULL DEFAULT '{}',
        idempotency_key text UNIQUE
      );
      CREATE INDEX audit_event_dossier ON audit_event(dossier_id, id);
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS audit_event, notification, proactive_handling, incoming_document, dossier_return,
        submission, signature, appraisal, opinion, opinion_request, document_signature, signing_key, certificate,
        document_body, document, dossier, assigned_task, authority_matrix, delegation CASCADE;
      ALTER TABLE agency DROP CONSTRAINT IF EXISTS agency_head_fk;
      DROP TABLE IF EXISTS app_user, agency CASCADE;
      DROP SEQUENCE IF EXISTS dossier_number_seq;
      DROP FUNCTION IF EXISTS audit_event_append_only();
    `);
  }
}
