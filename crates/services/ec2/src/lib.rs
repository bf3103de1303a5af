//! The ec2 service.
