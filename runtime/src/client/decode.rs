//! Reading a response body into an [`Envelope`], tolerant of where `metadata` sits.
//!
//! WHM puts `metadata` beside `data`. Some of its documentation pages (the
//! seed page of `validate_login_token` among them) print it *inside* `data`
//! instead, and the spec keeps those outputs verbatim, so the mock server
//! serves them that way. The decoder accepts both: `metadata` at the top
//! wins; when it is absent there, a `metadata` key directly inside `data` is
//! taken instead (and is not part of the typed data). A function whose data
//! has a field of its own called `metadata` would clash with this rule; no
//! specified function has one.
//!
//! The decoder reads the body once, streaming into the typed data: the
//! `metadata` key inside `data` is set aside by an adapter around the map of
//! `data` ([`InterceptMap`]) rather than by buffering the value. Only when
//! decoding fails is the body read again: once for the metadata alone (a
//! failed call often carries no data of the documented shape, and its
//! `reason` is the better error) and once with path tracking, to name the
//! field at fault.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::error::{DecodeError, Error};
use crate::envelope::{Envelope, Metadata};
use crate::wire::Wire;

/// Decodes a JSON response body of `function` into its envelope.
///
/// A body whose `metadata.result` is 0 becomes [`Error::Api`], whatever its
/// `data` holds; a body that is not a WHM envelope of the expected shape
/// becomes [`Error::Decode`], naming the field at fault and showing what
/// arrived there.
pub fn decode_envelope<T: Wire>(function: &str, body: &[u8]) -> Result<Envelope<T>, Error> {
    match parse::<T>(body) {
        Ok(envelope) if envelope.metadata.result => Ok(envelope),
        Ok(envelope) => Err(Error::api(function, envelope.metadata)),
        Err(first) => {
            // A failure answer with data of another shape: report the failure.
            if let Some(metadata) = read_metadata(body)
                && !metadata.result
            {
                return Err(Error::api(function, metadata));
            }
            Err(
                decode_error_with_path::<T>(function, body).unwrap_or_else(|| {
                    // Tracking found no error the fast path found: report the fast path's.
                    Error::Decode(Box::new(DecodeError::from_json(
                        function,
                        String::new(),
                        &first,
                        body,
                    )))
                }),
            )
        }
    }
}

/// The metadata of a JSON body, from either place, ignoring `data`; `None` when there is none.
pub(crate) fn read_metadata(body: &[u8]) -> Option<Metadata> {
    parse::<Skip>(body).ok().map(|envelope| envelope.metadata)
}

/// The whole body as one envelope, with nothing but whitespace after it.
fn parse<T: Wire>(body: &[u8]) -> Result<Envelope<T>, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let envelope = read_envelope::<T, _>(&mut json)?;
    json.end()?;
    Ok(envelope)
}

/// Decodes again with path tracking, to name the field at fault.
fn decode_error_with_path<T: Wire>(function: &str, body: &[u8]) -> Option<Error> {
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_slice(body);
    let result = read_envelope::<T, _>(serde_path_to_error::Deserializer::new(
        &mut json, &mut track,
    ))
    .and_then(|envelope| json.end().map(|()| envelope));
    let err = result.err()?;
    let path = track.path().to_string();
    Some(Error::Decode(Box::new(DecodeError::from_json(
        function, path, &err, body,
    ))))
}

/// Reads an envelope from any deserializer.
fn read_envelope<'de, T: Wire, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Envelope<T>, D::Error> {
    deserializer.deserialize_map(EnvelopeVisitor(PhantomData))
}

/// The keys of the envelope's top level.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum TopKey {
    Data,
    Metadata,
    #[serde(other)]
    Other,
}

struct EnvelopeVisitor<T>(PhantomData<T>);

impl<'de, T: Wire> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Envelope<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a WHM API 1 response: an object with \"metadata\" and \"data\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
        let mut data: Option<Option<T>> = None;
        let mut metadata = MetadataSlot::default();
        while let Some(key) = map.next_key::<TopKey>()? {
            match key {
                TopKey::Data if data.is_some() => return Err(de::Error::duplicate_field("data")),
                TopKey::Data => {
                    data = Some(map.next_value_seed(DataSeed {
                        nested: &mut metadata,
                        ty: PhantomData,
                    })?)
                }
                TopKey::Metadata if metadata.top => {
                    return Err(de::Error::duplicate_field("metadata"));
                }
                TopKey::Metadata => {
                    metadata.value = Some(map.next_value::<FastMetadata>()?.0);
                    metadata.top = true;
                }
                TopKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let metadata = metadata
            .value
            .ok_or_else(|| de::Error::missing_field("metadata"))?;
        Ok(Envelope {
            data: data.flatten(),
            metadata,
        })
    }
}

/// The envelope's metadata, from the top level or from inside `data`.
///
/// One slot for both, so the metadata is moved once: the top level's
/// replaces one read from `data`, and one read from `data` after the top
/// level's is read (and so checked) but dropped.
#[derive(Default)]
struct MetadataSlot {
    value: Option<Metadata>,
    /// Whether `value` is the top level's.
    top: bool,
}

/// `data`: `null` or the typed value, with a `metadata` key inside it set aside.
struct DataSeed<'a, T> {
    nested: &'a mut MetadataSlot,
    ty: PhantomData<T>,
}

impl<'de, T: Wire> DeserializeSeed<'de> for DataSeed<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Wire> Visitor<'de> for DataSeed<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the function's data or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize_wire(Intercept {
            inner: deserializer,
            nested: self.nested,
        })
        .map(Some)
    }
}

/// A deserializer whose top-level map hides its `metadata` key, storing its value.
struct Intercept<'a, D> {
    inner: D,
    nested: &'a mut MetadataSlot,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Intercept<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(InterceptVisitor {
            inner: visitor,
            nested: self.nested,
        })
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(InterceptVisitor {
            inner: visitor,
            nested: self.nested,
        })
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(
            name,
            fields,
            InterceptVisitor {
                inner: visitor,
                nested: self.nested,
            },
        )
    }
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct enum identifier ignored_any
    }
}

/// Forwards every visit, wrapping a map so that its `metadata` key is set aside.
struct InterceptVisitor<'a, V> {
    inner: V,
    nested: &'a mut MetadataSlot,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for InterceptVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(InterceptMap {
            inner: map,
            nested: self.nested,
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.inner.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.inner.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.inner.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.inner.visit_f64(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.inner.visit_str(v)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.inner.visit_borrowed_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.inner.visit_string(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }
}

/// A map whose `metadata` key is read as [`Metadata`] into `nested` (unless the top level's is there) and hidden from the visitor.
struct InterceptMap<'a, A> {
    inner: A,
    nested: &'a mut MetadataSlot,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for InterceptMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<Key<'de>>()? else {
                return Ok(None);
            };
            if key.as_str() == "metadata" {
                let nested = self.inner.next_value::<FastMetadata>()?.0;
                if !self.nested.top {
                    self.nested.value = Some(nested);
                }
                continue;
            }
            return match key {
                Key::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
                Key::Owned(k) => seed.deserialize(StringDeserializer::new(k)),
            }
            .map(Some);
        }
    }
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// [`Metadata`] read field by field.
///
/// `Metadata`'s derived `Deserialize` keeps unknown keys with
/// `#[serde(flatten)]`, which buffers the whole map before reading it; this
/// reads the same fields straight from the body (about a third of the
/// decoding time of a small answer).
struct FastMetadata(Metadata);

impl<'de> Deserialize<'de> for FastMetadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MetadataVisitor)
    }
}

struct MetadataVisitor;

impl<'de> Visitor<'de> for MetadataVisitor {
    type Value = FastMetadata;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("WHM's metadata: an object with command, version, reason and result")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FastMetadata, A::Error> {
        /// `with = "crate::wire"` for one value.
        struct WireValue<T>(T);
        impl<'de, T: Wire> Deserialize<'de> for WireValue<T> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                T::deserialize_wire(deserializer).map(WireValue)
            }
        }

        let mut command: Option<String> = None;
        let mut version: Option<i64> = None;
        let mut reason: Option<String> = None;
        let mut result: Option<bool> = None;
        let mut output = None;
        let mut extra = std::collections::BTreeMap::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "command" => command = Some(map.next_value()?),
                "version" => version = Some(map.next_value::<WireValue<i64>>()?.0),
                "reason" => reason = Some(map.next_value()?),
                "result" => result = Some(map.next_value::<WireValue<bool>>()?.0),
                "output" => output = map.next_value()?,
                other => {
                    extra.insert(other.to_owned(), map.next_value()?);
                }
            }
        }
        Ok(FastMetadata(Metadata {
            command: command.ok_or_else(|| de::Error::missing_field("command"))?,
            version: version.ok_or_else(|| de::Error::missing_field("version"))?,
            reason: reason.ok_or_else(|| de::Error::missing_field("reason"))?,
            result: result.ok_or_else(|| de::Error::missing_field("result"))?,
            output,
            extra,
        }))
    }
}

/// A map key, borrowed from the body when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(k) => k,
            Key::Owned(k) => k,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Data that is read and thrown away: for reading only the metadata.
struct Skip;

impl Wire for Skip {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| Skip)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ().serialize(serializer)
    }
}

/// `result` and `reason` of an XML response (`<result><metadata><result>` and `<reason>`).
///
/// WHM's XML puts the same tree as the JSON under a `<result>` root; like the
/// JSON decoder this accepts `<data>` beside or inside `<metadata>`. `None`
/// when the body is not XML of that shape.
pub(crate) fn read_xml_status(body: &str) -> Option<(bool, String)> {
    use quick_xml::events::Event;

    let mut reader = quick_xml::Reader::from_str(body);
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut result: Option<String> = None;
    let mut reason: Option<String> = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) => path.push(start.name().as_ref().to_vec()),
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            Event::Text(text) => {
                let target = match path.as_slice() {
                    [root, meta, leaf] if root == b"result" && meta == b"metadata" => {
                        leaf.as_slice()
                    }
                    _ => continue,
                };
                let text = text.xml_content().ok()?;
                match target {
                    b"result" => result.get_or_insert_with(String::new).push_str(&text),
                    b"reason" => reason.get_or_insert_with(String::new).push_str(&text),
                    _ => {}
                }
            }
            Event::GeneralRef(entity) => {
                // `&amp;` and friends in a reason arrive as their own events.
                if let [root, meta, leaf] = path.as_slice()
                    && root == b"result"
                    && meta == b"metadata"
                    && leaf == b"reason"
                {
                    let name = entity.decode().ok()?;
                    let resolved = match entity.resolve_char_ref().ok()? {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&name)?.to_owned(),
                    };
                    reason.get_or_insert_with(String::new).push_str(&resolved);
                }
            }
            _ => {}
        }
    }
    let ok = crate::wire::parse_bool(result?.trim())?;
    Some((ok, reason.unwrap_or_default().trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoData;

    #[derive(Debug, Default, PartialEq, Deserialize, Serialize)]
    struct Token {
        #[serde(default, with = "crate::wire")]
        access_token: Option<String>,
        #[serde(default, with = "crate::wire")]
        count: Option<i64>,
    }
    crate::impl_wire_serde!(Token);

    #[derive(Debug, Default, PartialEq, Deserialize, Serialize)]
    struct Data {
        #[serde(default, with = "crate::wire")]
        payload: Option<Vec<Token>>,
    }
    crate::impl_wire_serde!(Data);

    fn token(access: &str) -> Data {
        Data {
            payload: Some(vec![Token {
                access_token: Some(access.to_owned()),
                count: None,
            }]),
        }
    }

    #[test]
    fn reads_metadata_beside_data() {
        let body = br#"{"data":{"payload":[{"access_token":"a"}]},"metadata":{"command":"f","version":1,"reason":"OK","result":1}}"#;
        let env = decode_envelope::<Data>("f", body).unwrap();
        assert_eq!(env.data, Some(token("a")));
        assert_eq!(env.metadata.command, "f");
    }

    #[test]
    fn reads_metadata_nested_in_data_as_the_seed_page_prints_it() {
        let body = br#"{"data":{"payload":[{"access_token":"a"}],"metadata":{"command":"f","version":1,"reason":"OK","result":1}}}"#;
        let env = decode_envelope::<Data>("f", body).unwrap();
        assert_eq!(env.data, Some(token("a")));
        assert!(env.metadata.result);
        // Raw JSON data does not keep the lifted metadata either.
        let raw = decode_envelope::<serde_json::Value>("f", body).unwrap();
        assert_eq!(
            raw.data,
            Some(serde_json::json!({"payload":[{"access_token":"a"}]}))
        );
    }

    #[test]
    fn metadata_reads_as_the_derived_implementation_does() {
        for json in [
            r#"{"command":"f","version":"1","reason":"OK","result":"1","output":{"raw":"text","x":1},"warnings":["w"]}"#,
            r#"{"result":0,"reason":"No.","command":"f","version":1}"#,
        ] {
            let derived: Metadata = serde_json::from_str(json).unwrap();
            let fast: FastMetadata = serde_json::from_str(json).unwrap();
            assert_eq!(fast.0, derived, "{json}");
        }
        assert!(
            serde_json::from_str::<FastMetadata>(r#"{"command":"f","version":1,"reason":"OK"}"#)
                .is_err()
        );
    }

    #[test]
    fn top_level_metadata_wins_over_nested() {
        let body = br#"{"metadata":{"command":"top","version":1,"reason":"OK","result":1},"data":{"metadata":{"command":"inner","version":1,"reason":"OK","result":1}}}"#;
        let env = decode_envelope::<NoData>("f", body).unwrap();
        assert_eq!(env.metadata.command, "top");
    }

    #[test]
    fn result_zero_is_an_api_error_even_when_data_has_another_shape() {
        let body = br#"{"data":"nope","metadata":{"command":"f","version":1,"reason":"Access denied","result":0}}"#;
        match decode_envelope::<Data>("f", body) {
            Err(Error::Api {
                reason, metadata, ..
            }) => {
                assert_eq!(reason, "Access denied");
                assert_eq!(metadata.command, "f");
            }
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named_with_what_arrived() {
        let body = br#"{"data":{"payload":[{"access_token":"a","count":"many"}]},"metadata":{"command":"f","version":1,"reason":"OK","result":1}}"#;
        let Err(Error::Decode(err)) = decode_envelope::<Data>("f", body) else {
            panic!("expected a decode error")
        };
        assert_eq!(err.path, "data.payload[0].count");
        assert!(err.message.contains("\"many\""), "{}", err.message);
        assert!(err.to_string().contains("data.payload[0].count"), "{err}");
    }

    #[test]
    fn malformed_json_is_a_decode_error_with_an_excerpt() {
        let body = br#"{"data":{"payload":[{"access_token":"a"}]},"metadata":{"command":"f","#;
        let Err(Error::Decode(err)) = decode_envelope::<Data>("f", body) else {
            panic!("expected a decode error")
        };
        assert!(err.malformed, "{err:?}");
        assert!(err.excerpt.contains("\"command\":\"f\""), "{}", err.excerpt);
    }

    #[test]
    fn missing_metadata_is_a_decode_error() {
        let Err(Error::Decode(err)) = decode_envelope::<NoData>("f", br#"{"data":{}}"#) else {
            panic!()
        };
        assert!(err.message.contains("metadata"), "{}", err.message);
    }

    #[test]
    fn xml_status_from_either_layout() {
        let beside = "<result><data><x>1</x></data><metadata><result>0</result><reason>No &amp; no.</reason></metadata></result>";
        assert_eq!(
            read_xml_status(beside),
            Some((false, "No & no.".to_owned()))
        );
        let seed = "<result>\n<metadata>\n<version>1</version>\n<reason>OK</reason>\n<result>1</result>\n<data><payload><result>0</result></payload></data>\n</metadata>\n</result>";
        assert_eq!(read_xml_status(seed), Some((true, "OK".to_owned())));
        assert_eq!(read_xml_status("<html>nope</html>"), None);
    }
}
