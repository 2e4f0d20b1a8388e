pub mod info_version_not_semantic;
pub mod mixed_versions;
pub mod no_version;
