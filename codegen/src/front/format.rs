//! The spec format, as data: which keys each kind of object takes.
//!
//! One table serves three readers: the validator (unknown keys, missing keys,
//! the nearest known key to suggest), the JSON Schema emitter that lets YAML
//! editors complete and check spec files, and the `new` skeleton. Adding a
//! key means adding a row here and reading it in [`super::lower`].

/// What a key's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A plain string on one line.
    Text,
    /// Markdown text.
    Markdown,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
    /// Any scalar: a string, number or boolean.
    Scalar,
    /// Any value (a scalar, list or mapping).
    Any,
    /// A list of Markdown strings.
    MarkdownList,
    /// One of the type names in [`TYPE_NAMES`].
    TypeName,
    /// One of the given words.
    OneOf(&'static [&'static str]),
    /// A list of fields ([`FIELD`]).
    Fields,
    /// A list of enum values: scalars or [`ENUM_VALUE`] mappings.
    EnumValues,
    /// A mapping of parameter names to scalar values.
    ParamValues,
    /// A mapping with the given keys.
    Object(&'static Object),
    /// A list of mappings with the given keys.
    ListOf(&'static Object),
}

/// One key of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key as written in YAML.
    pub name: &'static str,
    /// Whether it must be present.
    pub required: bool,
    /// What its value must be.
    pub kind: Kind,
    /// One line for the schema's description and the editor's hover.
    pub doc: &'static str,
    /// For a required key: a line to suggest when it is missing.
    pub example: &'static str,
}

/// A kind of mapping in a spec file.
#[derive(Debug, PartialEq, Eq)]
pub struct Object {
    /// How messages call it ("parameter", "example").
    pub what: &'static str,
    /// Its name in the JSON Schema's `$defs`.
    pub def: &'static str,
    /// The keys it takes, in the order the docs and the skeleton show them.
    pub keys: &'static [Key],
}

impl Object {
    /// The key named `name`, if the object takes it.
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }
}

const fn key(name: &'static str, kind: Kind, doc: &'static str) -> Key {
    Key {
        name,
        required: false,
        kind,
        doc,
        example: "",
    }
}

const fn required(name: &'static str, kind: Kind, doc: &'static str, example: &'static str) -> Key {
    Key {
        name,
        required: true,
        kind,
        doc,
        example,
    }
}

/// The type names a field's `type:` may take. The string formats among them
/// (`url` ... `uuid`) are `whm_runtime::Format`'s spec names, in its order.
pub const TYPE_NAMES: &[&str] = &[
    "string",
    "integer",
    "float",
    "boolean",
    "yes_no",
    "timestamp",
    "limit",
    "string_or_integer",
    "url",
    "email",
    "ipv4",
    "ipv6",
    "ip",
    "cidr",
    "domain",
    "fqdn",
    "dns_name",
    "username",
    "path",
    "uuid",
    "array",
    "hash",
    "map",
    "any",
];

/// How list parameters travel.
pub const LIST_STYLES: &[&str] = &["numbered", "repeated", "comma"];

/// The HTTP methods a function may state.
pub const METHODS: &[&str] = &["GET", "POST"];

/// The units a number may state (`unit:`).
pub const UNITS: &[&str] = &[
    "bytes",
    "kilobytes",
    "megabytes",
    "gigabytes",
    "seconds",
    "minutes",
    "hours",
    "days",
    "percent",
];

/// Every kind of mapping of the format, for the JSON Schema's `$defs`.
pub static OBJECTS: &[&Object] = &[
    &FUNCTION,
    &FIELD,
    &ENUM_VALUE,
    &OUTPUT_RAW,
    &EXAMPLE,
    &SEE_ALSO,
    &REQUIRED_IF,
    &ORIGIN,
    &CATEGORIES_FILE,
    &CATEGORY,
    &CATALOG_CATEGORY,
];

/// A spec file: one function.
pub static FUNCTION: Object = Object {
    what: "function",
    def: "function",
    keys: &[
        required(
            "name",
            Kind::Text,
            "The function's name, as in /json-api/NAME; must equal the file name.",
            "name: FUNCTION",
        ),
        required(
            "category",
            Kind::Text,
            "The id of a category in spec/categories.yaml; must equal the folder name.",
            "category: CATEGORY",
        ),
        required(
            "summary",
            Kind::Text,
            "One plain sentence: what the function does.",
            "summary: Returns ...",
        ),
        required(
            "description",
            Kind::Markdown,
            "What the function does, in Markdown.",
            "description: |\n  This function ...",
        ),
        key(
            "since",
            Kind::Text,
            "The version that introduced the function (cPanel & WHM version 62).",
        ),
        key(
            "method",
            Kind::OneOf(METHODS),
            "The HTTP method WHM documents: GET (query string, the default) or POST (form body).",
        ),
        key(
            "success_reason",
            Kind::Text,
            "metadata.reason of a successful call, when it is not OK (Account Removed).",
        ),
        key(
            "deprecated",
            Kind::Bool,
            "Whether WHM no longer supports the function.",
        ),
        key(
            "deprecated_since",
            Kind::Text,
            "Deprecated functions and fields: the version that deprecated it.",
        ),
        key(
            "replaced_by",
            Kind::Text,
            "Deprecated functions and fields: the function or parameter to use instead.",
        ),
        key(
            "differs",
            Kind::Markdown,
            "Why this function differs on purpose from its source (listed apart by `compare`).",
        ),
        key(
            "source",
            Kind::Object(&ORIGIN),
            "Where the facts come from: the published description, its version and operation.",
        ),
        key(
            "notes",
            Kind::MarkdownList,
            "Notes shown after the description, in Markdown.",
        ),
        key(
            "list_output",
            Kind::Bool,
            "Whether the function accepts WHM's filter, sort, paginate and columns options (default: when `returns` is one list of hashes).",
        ),
        key(
            "secrets_in_url",
            Kind::Bool,
            "Whether sensitive parameters travel in the URL as WHM's docs show the call (default: in a POST body).",
        ),
        key(
            "parameters",
            Kind::Fields,
            "The parameters, in the order the docs show and clients send them.",
        ),
        key(
            "returns",
            Kind::Fields,
            "The fields of `data` in the response.",
        ),
        key(
            "metadata",
            Kind::Fields,
            "Fields of `metadata` beyond command, version, reason and result.",
        ),
        key(
            "output_raw",
            Kind::Object(&OUTPUT_RAW),
            "The function reports its result as text in metadata.output.raw.",
        ),
        key(
            "examples",
            Kind::ListOf(&EXAMPLE),
            "Documented calls with their outputs.",
        ),
        key(
            "see_also",
            Kind::ListOf(&SEE_ALSO),
            "Related functions the docs point to.",
        ),
    ],
};

/// One entry of `see_also:`.
pub static SEE_ALSO: Object = Object {
    what: "see-also entry",
    def: "see_also",
    keys: &[
        required(
            "name",
            Kind::Text,
            "A WHM API 1 function: specified, or in spec/catalog.yaml.",
            "name: get_login_url",
        ),
        key("summary", Kind::Text, "What it does, one sentence."),
    ],
};

/// A parameter, returned field or nested field.
pub static FIELD: Object = Object {
    what: "field",
    def: "field",
    keys: &[
        required(
            "name",
            Kind::Text,
            "The name on the wire, spelled as WHM spells it.",
            "name: NAME",
        ),
        required("type", Kind::TypeName, "The value's type.", "type: string"),
        required(
            "description",
            Kind::Markdown,
            "What the value is, in Markdown.",
            "description: The ...",
        ),
        key(
            "required",
            Kind::Bool,
            "Parameters: whether it must be sent.",
        ),
        key(
            "default",
            Kind::Scalar,
            "Parameters: the value WHM uses when it is not sent.",
        ),
        key(
            "possible_values",
            Kind::MarkdownList,
            "Lines for the docs' Possible values column, in Markdown.",
        ),
        key(
            "enum",
            Kind::EnumValues,
            "A closed set of values (on boolean: the meanings of 1 and 0).",
        ),
        key(
            "example",
            Kind::Any,
            "An example value as the docs show it.",
        ),
        key(
            "deprecated",
            Kind::Bool,
            "Whether WHM no longer honours it.",
        ),
        key(
            "deprecated_since",
            Kind::Text,
            "The version that deprecated it.",
        ),
        key(
            "replaced_by",
            Kind::Text,
            "The parameter or field to use instead.",
        ),
        key(
            "differs",
            Kind::Markdown,
            "Why this field differs on purpose from the function's source (listed apart by `compare`).",
        ),
        key(
            "minimum",
            Kind::Integer,
            "Numbers: the smallest value accepted.",
        ),
        key(
            "maximum",
            Kind::Integer,
            "Numbers: the largest value accepted.",
        ),
        key(
            "min_length",
            Kind::Integer,
            "Strings: the fewest characters accepted.",
        ),
        key(
            "max_length",
            Kind::Integer,
            "Strings: the most characters accepted.",
        ),
        key(
            "pattern",
            Kind::Text,
            "Strings: a regular expression the whole value must match.",
        ),
        key(
            "unit",
            Kind::OneOf(UNITS),
            "Numbers: the unit (megabytes, seconds, ...).",
        ),
        key(
            "required_if",
            Kind::Object(&REQUIRED_IF),
            "Parameters: required when another parameter has a value.",
        ),
        key(
            "nullable",
            Kind::Bool,
            "Whether null is a documented value.",
        ),
        key(
            "sensitive",
            Kind::Bool,
            "Whether the value is a secret (password, token): never printed, marked in the docs.",
        ),
        key(
            "items",
            Kind::TypeName,
            "For type array: the type of the elements.",
        ),
        key(
            "values",
            Kind::TypeName,
            "For type map: the type of the values.",
        ),
        key(
            "fields",
            Kind::Fields,
            "For hash, array of hash, map of hash: the nested fields.",
        ),
        key(
            "type_name",
            Kind::Text,
            "For a hash or closed set of a function: the Rust type's name (UpperCamelCase), instead of the one made from the field path.",
        ),
        key(
            "list_style",
            Kind::OneOf(LIST_STYLES),
            "Array parameters: numbered (name-1, name-2), repeated (name, name) or comma (name=a,b).",
        ),
        key(
            "first_index",
            Kind::Integer,
            "Numbered array parameters: the number of the first key, 1 (the default) or 0.",
        ),
    ],
};

/// `required_if:` of a parameter.
pub static REQUIRED_IF: Object = Object {
    what: "required_if",
    def: "required_if",
    keys: &[
        required(
            "param",
            Kind::Text,
            "Another parameter of the function.",
            "param: NAME",
        ),
        required(
            "value",
            Kind::Any,
            "The value of that parameter that makes this one required, or a list of such values.",
            "value: VALUE",
        ),
    ],
};

/// `source:` of a function.
pub static ORIGIN: Object = Object {
    what: "source",
    def: "source",
    keys: &[
        required(
            "document",
            Kind::Text,
            "The published description: an OpenAPI file name or a page address.",
            "document: cpanel-accounts-api-openapi.yml",
        ),
        key(
            "version",
            Kind::Text,
            "The version of the description (11.137).",
        ),
        key(
            "operation",
            Kind::Text,
            "The operation within it (/listaccts).",
        ),
    ],
};

/// One value of an `enum:` list written as a mapping.
pub static ENUM_VALUE: Object = Object {
    what: "enum value",
    def: "enum_value",
    keys: &[
        required(
            "value",
            Kind::Scalar,
            "The value on the wire.",
            "value: VALUE",
        ),
        key("description", Kind::Markdown, "What the value means."),
    ],
};

/// `output_raw:`.
pub static OUTPUT_RAW: Object = Object {
    what: "output_raw",
    def: "output_raw",
    keys: &[
        required(
            "description",
            Kind::Markdown,
            "What the text says.",
            "description: The output of ...",
        ),
        key("example", Kind::Text, "Example text."),
    ],
};

/// One example call.
pub static EXAMPLE: Object = Object {
    what: "example",
    def: "example",
    keys: &[
        required(
            "title",
            Kind::Text,
            "A short title.",
            "title: List every account",
        ),
        key("description", Kind::Markdown, "Shown before the example."),
        key(
            "params",
            Kind::ParamValues,
            "The parameters sent, unencoded, in order.",
        ),
        key(
            "json",
            Kind::Text,
            "The JSON output as WHM's docs print it.",
        ),
        key("xml", Kind::Text, "The XML output as WHM's docs print it."),
        key("notes", Kind::MarkdownList, "Notes on the example."),
    ],
};

/// `spec/categories.yaml`.
pub static CATEGORIES_FILE: Object = Object {
    what: "categories file",
    def: "categories_file",
    keys: &[required(
        "categories",
        Kind::ListOf(&CATEGORY),
        "The categories.",
        "categories:\n  - id: accounts",
    )],
};

/// One category.
pub static CATEGORY: Object = Object {
    what: "category",
    def: "category",
    keys: &[
        required(
            "id",
            Kind::Text,
            "The folder name and `category:` value.",
            "id: accounts",
        ),
        required(
            "title",
            Kind::Text,
            "The title readers see.",
            "title: Accounts",
        ),
        required("order", Kind::Integer, "Display order.", "order: 10"),
        key(
            "description",
            Kind::Markdown,
            "A paragraph about the category.",
        ),
    ],
};

/// `spec/catalog.yaml`.
pub static CATALOG_FILE: Object = Object {
    what: "catalog file",
    def: "catalog_file",
    keys: &[required(
        "categories",
        Kind::ListOf(&CATALOG_CATEGORY),
        "The catalogue's categories.",
        "categories:\n  - title: Accounts",
    )],
};

/// One category of the catalogue.
pub static CATALOG_CATEGORY: Object = Object {
    what: "catalog category",
    def: "catalog_category",
    keys: &[
        required(
            "title",
            Kind::Text,
            "The title in WHM's navigation.",
            "title: Accounts",
        ),
        required(
            "functions",
            Kind::Any,
            "Function names, or {name, unsure: true}.",
            "functions: [listaccts]",
        ),
    ],
};
