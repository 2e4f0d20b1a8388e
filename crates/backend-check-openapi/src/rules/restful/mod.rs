pub mod path_params_mismatch;
pub mod path_shape;
