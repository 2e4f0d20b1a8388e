pub mod insecure_server;
