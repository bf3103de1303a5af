//! Global infrastructure: the regions, Availability Zones, Local Zones and
//! Wavelength Zones EC2 describes, and the two operations that describe them.

mod catalog;
mod describe_availability_zones;
mod describe_regions;
mod edge_zone_table;
mod model;
mod region_table;

pub use catalog::{region, regions};
pub use describe_availability_zones::describe_availability_zones;
pub use describe_regions::describe_regions;
pub use model::{OptInStatus, ParentZone, Region, Zone, ZoneType};
pub use region_table::RegionOptIn;
