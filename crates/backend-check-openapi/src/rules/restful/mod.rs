pub mod body_on_read;
pub mod empty_path_template;
pub mod identical_paths;
pub mod operation_id_not_url_safe;
pub mod path_params_mismatch;
pub mod path_shape;
pub mod server_trailing_slash;
pub mod verb_in_path;
