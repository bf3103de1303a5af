//! Fuzzes the `rest-json` wire's decoder with Glacier, Lambda and IoT requests.

#![no_main]

use cloudbox_fuzz::{Target, run};
use cloudbox_protocol::Wire;
use libfuzzer_sys::fuzz_target;

const TARGETS: &[Target] = &[
    Target { service: "glacier", operation: "UploadArchive", default_path: "/-/vaults/v/archives" },
    Target { service: "glacier", operation: "ListVaults", default_path: "/-/vaults" },
    Target { service: "glacier", operation: "InitiateJob", default_path: "/-/vaults/v/jobs" },
    Target { service: "glacier", operation: "UploadMultipartPart", default_path: "/-/vaults/v/multipart-uploads/u" },
    Target { service: "lambda", operation: "CreateFunction", default_path: "/2015-03-31/functions" },
    Target { service: "lambda", operation: "Invoke", default_path: "/2015-03-31/functions/f/invocations" },
    Target { service: "lambda", operation: "ListFunctions", default_path: "/2015-03-31/functions/" },
    Target { service: "iot", operation: "CreateThing", default_path: "/things/t" },
];

fuzz_target!(|data: &[u8]| run(Wire::RestJson, TARGETS, data));
