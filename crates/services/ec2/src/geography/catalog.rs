//! The geography catalog: the data tables turned, once, into regions and
//! zones with every derived name, and the lookups the handlers use.

use super::edge_zone_table::{LOCAL_ZONE_TABLE, LocalZoneSpec, WAVELENGTH_TABLE, WavelengthGroupSpec};
use super::model::{ParentZone, Region, Zone, ZoneType};
use super::region_table::{REGION_TABLE, RegionSpec};
use std::sync::LazyLock;

static CATALOG: LazyLock<Vec<Region>> = LazyLock::new(|| REGION_TABLE.iter().map(build_region).collect());

/// Every region, in the order DescribeRegions lists them.
pub fn regions() -> &'static [Region] {
    &CATALOG
}

/// The region with this exact name.
pub fn region(name: &str) -> Option<&'static Region> {
    regions().iter().find(|region| region.name == name)
}

fn build_region(spec: &'static RegionSpec) -> Region {
    let mut zones = availability_zones(spec);
    let local: Vec<Zone> = LOCAL_ZONE_TABLE
        .iter()
        .filter(|group| group.region == spec.name)
        .flat_map(|g| local_zones(spec, g, &zones))
        .collect();
    let wavelength: Vec<Zone> = WAVELENGTH_TABLE
        .iter()
        .filter(|group| group.region == spec.name)
        .flat_map(|g| wavelength_zones(spec, g, &zones))
        .collect();
    zones.extend(local);
    zones.extend(wavelength);
    Region {
        name: spec.name,
        long_name: spec.long_name,
        endpoint: format!("ec2.{}.amazonaws.com", spec.name),
        opt_in: spec.opt_in,
        country: spec.country,
        zones,
    }
}

/// All of a region's Availability Zones share one zone group, `<region>-zg-1`.
fn availability_zones(spec: &'static RegionSpec) -> Vec<Zone> {
    spec.zones
        .iter()
        .map(|&(letter, number)| Zone {
            region_name: spec.name,
            zone_name: format!("{}{letter}", spec.name),
            zone_id: az_id(spec, number),
            zone_type: ZoneType::AvailabilityZone,
            group_name: format!("{}-zg-1", spec.name),
            group_long_name: format!("{} 1", spec.long_name),
            network_border_group: spec.name.to_string(),
            parent: None,
            geography: Some(spec.country),
            sub_geography: spec.subdivision,
        })
        .collect()
}

fn local_zones(region: &'static RegionSpec, group: &'static LocalZoneSpec, azs: &[Zone]) -> Vec<Zone> {
    let group_name = format!("{}-{}-{}", region.name, group.metro, group.generation);
    let parent = parent_zone(region, azs, group.parent_az);
    group
        .zones
        .iter()
        .map(|&(letter, number)| Zone {
            region_name: region.name,
            zone_name: format!("{group_name}{letter}"),
            zone_id: format!("{}-{}{}-az{number}", region.zone_id_prefix, group.metro, group.generation),
            zone_type: ZoneType::LocalZone,
            group_name: group_name.clone(),
            group_long_name: format!("{} ({})", area_name(region), group.metro_name),
            network_border_group: group_name.clone(),
            parent: parent.clone(),
            geography: Some(region.country),
            sub_geography: Some(group.subdivision),
        })
        .collect()
}

fn wavelength_zones(region: &'static RegionSpec, group: &'static WavelengthGroupSpec, azs: &[Zone]) -> Vec<Zone> {
    let group_name = format!("{}-wl{}", region.name, group.group);
    let parent = parent_zone(region, azs, group.parent_az);
    group
        .metros
        .iter()
        .map(|metro| {
            let zone_name = format!("{group_name}-{metro}-wlz-1");
            Zone {
                region_name: region.name,
                zone_id: format!("{}-wl{}-{metro}-wlz1", region.zone_id_prefix, group.group),
                zone_type: ZoneType::WavelengthZone,
                group_name: group_name.clone(),
                group_long_name: format!("{} ({})", area_name(region), group.carrier),
                network_border_group: zone_name.clone(),
                zone_name,
                parent: parent.clone(),
                geography: None,
                sub_geography: None,
            }
        })
        .collect()
}

fn az_id(spec: &RegionSpec, number: u8) -> String {
    format!("{}-az{number}", spec.zone_id_prefix)
}

fn parent_zone(spec: &RegionSpec, azs: &[Zone], az_number: u8) -> Option<ParentZone> {
    let zone_id = az_id(spec, az_number);
    azs.iter()
        .find(|zone| zone.zone_id == zone_id)
        .map(|zone| ParentZone { zone_name: zone.zone_name.clone(), zone_id: zone.zone_id.clone() })
}

/// `US East` for `US East (N. Virginia)`.
fn area_name(spec: &RegionSpec) -> &'static str {
    spec.long_name.split(" (").next().unwrap_or(spec.long_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_ids_are_unique_across_the_world() {
        let zones: Vec<&Zone> = regions().iter().flat_map(|r| &r.zones).collect();
        let names: HashSet<&str> = zones.iter().map(|z| z.zone_name.as_str()).collect();
        let ids: HashSet<&str> = zones.iter().map(|z| z.zone_id.as_str()).collect();
        assert_eq!(names.len(), zones.len());
        assert_eq!(ids.len(), zones.len());
        let region_names: HashSet<&str> = regions().iter().map(|r| r.name).collect();
        assert_eq!(region_names.len(), regions().len());
    }

    #[test]
    fn every_edge_zone_table_row_belongs_to_a_known_region_and_has_a_parent() {
        for group in LOCAL_ZONE_TABLE {
            assert!(region(group.region).is_some(), "{}", group.metro);
        }
        for group in WAVELENGTH_TABLE {
            assert!(region(group.region).is_some(), "{}", group.region);
        }
        for zone in regions().iter().flat_map(|r| &r.zones) {
            let is_edge = zone.zone_type != ZoneType::AvailabilityZone;
            assert_eq!(zone.parent.is_some(), is_edge, "{}", zone.zone_name);
        }
    }

    #[test]
    fn every_region_has_at_least_two_zones_named_after_it() {
        for region in regions() {
            let azs: Vec<&Zone> = region.zones.iter().filter(|z| z.zone_type == ZoneType::AvailabilityZone).collect();
            assert!(azs.len() >= 2, "{}", region.name);
            assert!(azs.iter().all(|z| z.zone_name.starts_with(region.name)), "{}", region.name);
        }
    }

    #[test]
    fn derives_local_and_wavelength_names() {
        let oregon = region("us-west-2").unwrap();
        let lax = oregon.zone_named("us-west-2-lax-1b").unwrap();
        assert_eq!(lax.zone_id, "usw2-lax1-az2");
        assert_eq!(lax.group_name, "us-west-2-lax-1");
        assert_eq!(lax.network_border_group, "us-west-2-lax-1");
        assert_eq!(lax.group_long_name, "US West (Los Angeles)");
        let virginia = region("us-east-1").unwrap();
        let bos = virginia.zone_with_id("use1-wl1-bos-wlz1").unwrap();
        assert_eq!(bos.zone_name, "us-east-1-wl1-bos-wlz-1");
        assert_eq!(bos.group_name, "us-east-1-wl1");
        assert_eq!(bos.network_border_group, "us-east-1-wl1-bos-wlz-1");
        assert_eq!(bos.group_long_name, "US East (Verizon)");
        let parent = bos.parent.as_ref().unwrap();
        assert_eq!((parent.zone_name.as_str(), parent.zone_id.as_str()), ("us-east-1a", "use1-az4"));
    }
}
