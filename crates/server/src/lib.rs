//! The gateway: one port, TLS or plain, admin endpoints, the scheduler, and the registry of services.
