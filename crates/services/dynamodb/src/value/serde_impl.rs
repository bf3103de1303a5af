//! Serde in the wire form, so items are stored as the JSON DynamoDB speaks.
//! Deserializing checks the same rules as [`AttributeValue::from_wire`].

use super::{AttributeValue, Number};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            AttributeValue::S(s) => map.serialize_entry("S", s)?,
            AttributeValue::N(n) => map.serialize_entry("N", &n.to_string())?,
            AttributeValue::B(b) => map.serialize_entry("B", &BASE64.encode(b))?,
            AttributeValue::Bool(b) => map.serialize_entry("BOOL", b)?,
            AttributeValue::Null => map.serialize_entry("NULL", &true)?,
            AttributeValue::M(m) => map.serialize_entry("M", m)?,
            AttributeValue::L(l) => map.serialize_entry("L", l)?,
            AttributeValue::Ss(v) => map.serialize_entry("SS", v)?,
            AttributeValue::Ns(v) => map.serialize_entry("NS", &Displayed(v))?,
            AttributeValue::Bs(v) => map.serialize_entry("BS", &Base64Seq(v))?,
        }
        map.end()
    }
}

struct Displayed<'a>(&'a [Number]);

impl Serialize for Displayed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for n in self.0 {
            seq.serialize_element(&n.to_string())?;
        }
        seq.end()
    }
}

struct Base64Seq<'a>(&'a [Vec<u8>]);

impl Serialize for Base64Seq<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for b in self.0 {
            seq.serialize_element(&BASE64.encode(b))?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AttributeValue, D::Error> {
        deserializer.deserialize_map(AttributeValueVisitor)
    }
}

struct AttributeValueVisitor;

impl<'de> Visitor<'de> for AttributeValueVisitor {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a DynamoDB attribute value such as {\"S\": \"text\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        let code: String = map.next_key()?.ok_or_else(|| de::Error::custom("empty attribute value"))?;
        let value = match code.as_str() {
            "S" => AttributeValue::S(map.next_value()?),
            "N" => AttributeValue::N(number::<A>(&map.next_value::<String>()?)?),
            "B" => AttributeValue::B(binary::<A>(&map.next_value::<String>()?)?),
            "BOOL" => AttributeValue::Bool(map.next_value()?),
            "NULL" => {
                map.next_value::<bool>()?;
                AttributeValue::Null
            }
            "M" => AttributeValue::M(map.next_value::<BTreeMap<String, AttributeValue>>()?),
            "L" => AttributeValue::L(map.next_value()?),
            "SS" => AttributeValue::Ss(map.next_value()?),
            "NS" => {
                let texts: Vec<String> = map.next_value()?;
                AttributeValue::Ns(texts.iter().map(|t| number::<A>(t)).collect::<Result<_, _>>()?)
            }
            "BS" => {
                let texts: Vec<String> = map.next_value()?;
                AttributeValue::Bs(texts.iter().map(|t| binary::<A>(t)).collect::<Result<_, _>>()?)
            }
            other => {
                return Err(de::Error::unknown_field(
                    other,
                    &["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"],
                ));
            }
        };
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("an attribute value has exactly one type"));
        }
        Ok(value)
    }
}

fn number<'de, A: MapAccess<'de>>(text: &str) -> Result<Number, A::Error> {
    Number::parse(text).map_err(|e| de::Error::custom(e.message))
}

fn binary<'de, A: MapAccess<'de>>(text: &str) -> Result<Vec<u8>, A::Error> {
    BASE64.decode(text).map_err(de::Error::custom)
}

#[cfg(test)]
mod tests {
    use crate::value::{Item, item_from_wire, item_to_wire};
    use serde_json::json;

    #[test]
    fn serde_matches_the_wire_form() {
        let wire = json!({
            "a": {"M": {"b": {"L": [{"N": "1e2"}, {"NULL": true}, {"BOOL": false}]}}},
            "bs": {"BS": ["AQI="]}, "ns": {"NS": ["-1.5"]}, "ss": {"SS": ["x"]}, "bin": {"B": "AA=="}
        });
        let item = item_from_wire(&wire).unwrap();
        let text = serde_json::to_string(&item).unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), item_to_wire(&item));
        let back: Item = serde_json::from_str(&text).unwrap();
        assert_eq!(back, item);
        assert!(serde_json::from_str::<Item>(r#"{"a": {"N": "x"}}"#).is_err());
        assert!(serde_json::from_str::<Item>(r#"{"a": {"S": "x", "N": "1"}}"#).is_err());
    }
}
