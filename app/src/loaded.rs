//! Resources whose values reach the browser the way server functions answer.
//!
//! A resource's value is read twice in the browser: from the page, where the
//! server wrote it for hydration, and from a server function's response when
//! it is fetched again. Leptos' default codec parses the first from a `&str`
//! and server functions parse the second from bytes, and `serde_json`'s
//! deserializer is generic over its reader: every result type's parser was
//! compiled twice into the wasm. [`JsonBytes`] parses both from bytes, so each
//! type is parsed by one copy of the code. The JSON itself is unchanged.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON in the page as Leptos writes it, parsed from bytes like a server
/// function's response.
pub(crate) struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A resource loaded by a server function: `Resource::new`, with [`JsonBytes`].
pub(crate) type Loaded<T> = Resource<T, JsonBytes>;

/// Creates a [`Loaded`] resource, as `Resource::new` does.
#[track_caller]
pub(crate) fn load<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_reads_back_as_it_was_written() {
        // Arrange
        let value: Result<Vec<(String, u32)>, String> = Ok(vec![("a\"é".into(), 3)]);

        // Act
        let encoded = <JsonBytes as Encoder<_>>::encode(&value).expect("encodes");
        let decoded: Result<Vec<(String, u32)>, String> =
            <JsonBytes as Decoder<_>>::decode(&encoded).expect("decodes");

        // Assert
        assert_eq!(encoded, serde_json::to_string(&value).expect("encodes"));
        assert_eq!(decoded, value);
    }
}
