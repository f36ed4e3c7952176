// @generated shape of `diesel print-schema` over migrations/sqlite, with SQLite's INTEGER ids written as
// BigInt so that the same schema serves PostgreSQL's BIGSERIAL. `tests/it/schema.rs` checks it against both.

diesel::table! {
    api_tags (api_id, tag) {
        api_id -> BigInt,
        tag -> Text,
    }
}

diesel::table! {
    api_versions (id) {
        id -> BigInt,
        api_id -> BigInt,
        version -> Text,
        seq -> Integer,
        content_sha256 -> Nullable<Text>,
        spec_format -> Nullable<Text>,
        declared_version -> Nullable<Text>,
        title -> Text,
        description -> Nullable<Text>,
        documentation_url -> Nullable<Text>,
        operation_count -> Integer,
        schema_count -> Integer,
        notes -> Text,
        published_by -> Text,
        published_at -> Timestamp,
        changes -> Nullable<Text>,
    }
}

diesel::table! {
    evaluations (id) {
        id -> BigInt,
        version_id -> BigInt,
        ruleset -> Text,
        ruleset_version -> Text,
        kitemark -> Bool,
        score -> Integer,
        errors -> Integer,
        warnings -> Integer,
        result -> Text,
        evaluated_at -> Timestamp,
    }
}

diesel::table! {
    apis (id) {
        id -> BigInt,
        slug -> Text,
        organisation_id -> BigInt,
        system_id -> Nullable<BigInt>,
        name -> Text,
        description -> Nullable<Text>,
        visibility -> Text,
        lifecycle -> Text,
        documentation_url -> Nullable<Text>,
        source -> Text,
        latest_version -> Nullable<Text>,
        latest_spec_format -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        compatibility -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor -> Text,
        actor_org -> Nullable<Text>,
        action -> Text,
        target -> Text,
        content_sha256 -> Nullable<Text>,
        detail -> Text,
    }
}

diesel::table! {
    blobs (sha256) {
        sha256 -> Text,
        size -> BigInt,
        content -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    operations (id) {
        id -> BigInt,
        version_id -> BigInt,
        method -> Text,
        path -> Text,
        operation_id -> Nullable<Text>,
        summary -> Nullable<Text>,
        description -> Nullable<Text>,
        tags -> Text,
        deprecated -> Bool,
        parameters -> Text,
        request_media_types -> Text,
        response_media_types -> Text,
    }
}

diesel::table! {
    organisations (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        kind -> Text,
        homepage -> Nullable<Text>,
        description -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    schemas (id) {
        id -> BigInt,
        version_id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        properties -> Text,
        property_descriptions -> Text,
    }
}

diesel::table! {
    sessions (id_sha256) {
        id_sha256 -> Text,
        subject -> Text,
        organisation -> Nullable<Text>,
        roles -> Text,
        display_name -> Text,
        csrf_token -> Text,
        method -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    systems (id) {
        id -> BigInt,
        slug -> Text,
        organisation_id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        visibility -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    version_files (version_id, position) {
        version_id -> BigInt,
        position -> Integer,
        path -> Text,
        media_type -> Text,
        blob_sha256 -> Text,
    }
}

diesel::table! {
    consumptions (id) {
        id -> BigInt,
        system_id -> BigInt,
        api_id -> BigInt,
        version_id -> Nullable<BigInt>,
        purpose -> Text,
        replaces -> Text,
        hours_saved_per_month -> Nullable<Double>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        recorded_org -> Nullable<Text>,
    }
}

diesel::table! {
    contract_files (contract_version_id, position) {
        contract_version_id -> BigInt,
        position -> Integer,
        path -> Text,
        media_type -> Text,
        blob_sha256 -> Text,
    }
}

diesel::table! {
    contract_versions (id) {
        id -> BigInt,
        contract_id -> BigInt,
        version -> Text,
        content_sha256 -> Text,
        spec_format -> Text,
        title -> Text,
        operations -> Text,
        operation_count -> Integer,
        published_by -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    contracts (id) {
        id -> BigInt,
        slug -> Text,
        organisation_id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        visibility -> Text,
        latest_version -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    implementations (id) {
        id -> BigInt,
        system_id -> BigInt,
        contract_version_id -> BigInt,
        api_id -> BigInt,
        status -> Text,
        report -> Text,
        checked_version_id -> Nullable<BigInt>,
        checked_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tenders (id) {
        id -> BigInt,
        slug -> Text,
        organisation_id -> BigInt,
        title -> Text,
        visibility -> Text,
        lifecycle -> Text,
        pack_version -> Nullable<Text>,
        awarded_to -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tender_packs (id) {
        id -> BigInt,
        tender_id -> BigInt,
        version -> Text,
        seq -> Integer,
        blob_sha256 -> Text,
        changes -> Text,
        published_by -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    bids (id) {
        id -> BigInt,
        tender_id -> BigInt,
        organisation_id -> BigInt,
        status -> Text,
        system_id -> Nullable<BigInt>,
        evaluation -> Nullable<Text>,
        evaluated_pack_version -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bid_files (bid_id, name) {
        bid_id -> BigInt,
        name -> Text,
        media_type -> Text,
        blob_sha256 -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bid_scores (bid_id, requirement) {
        bid_id -> BigInt,
        requirement -> Text,
        score -> Integer,
        justification -> Text,
        scored_by -> Text,
        scored_at -> Timestamp,
    }
}

diesel::joinable!(api_tags -> apis (api_id));
diesel::joinable!(api_versions -> apis (api_id));
diesel::joinable!(apis -> organisations (organisation_id));
diesel::joinable!(apis -> systems (system_id));
diesel::joinable!(consumptions -> apis (api_id));
diesel::joinable!(consumptions -> systems (system_id));
diesel::joinable!(contract_files -> blobs (blob_sha256));
diesel::joinable!(contract_files -> contract_versions (contract_version_id));
diesel::joinable!(contract_versions -> contracts (contract_id));
diesel::joinable!(contracts -> organisations (organisation_id));
diesel::joinable!(implementations -> apis (api_id));
diesel::joinable!(implementations -> contract_versions (contract_version_id));
diesel::joinable!(implementations -> systems (system_id));
diesel::joinable!(evaluations -> api_versions (version_id));
diesel::joinable!(operations -> api_versions (version_id));
diesel::joinable!(schemas -> api_versions (version_id));
diesel::joinable!(systems -> organisations (organisation_id));
diesel::joinable!(version_files -> api_versions (version_id));
diesel::joinable!(version_files -> blobs (blob_sha256));
diesel::joinable!(tender_packs -> tenders (tender_id));
diesel::joinable!(tenders -> organisations (organisation_id));
diesel::joinable!(bids -> tenders (tender_id));
diesel::joinable!(bids -> organisations (organisation_id));
diesel::joinable!(bid_files -> bids (bid_id));
diesel::joinable!(bid_scores -> bids (bid_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_tags,
    api_versions,
    bid_files,
    bid_scores,
    bids,
    apis,
    audit_log,
    blobs,
    consumptions,
    contract_files,
    contract_versions,
    contracts,
    evaluations,
    implementations,
    operations,
    organisations,
    schemas,
    sessions,
    systems,
    tender_packs,
    tenders,
    version_files,
);
