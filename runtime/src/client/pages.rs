//! Calls with WHM's output options, and a pager over a list function's records.

use super::{Client, Error, Response};
use crate::envelope::Metadata;
use crate::function::{ApiFunction, ListFunction};
use crate::output_options::OutputOptions;
use crate::query::QueryBuilder;

impl Client {
    /// Calls a function with WHM's generic output options (filter, sort,
    /// page, columns) appended to its parameters.
    ///
    /// Options only shape functions that return one list of records
    /// ([`ApiFunction::LIST`]); WHM ignores them elsewhere. What WHM says
    /// about them (`metadata.chunk`, `metadata.filter`, `metadata.sort`,
    /// `metadata.columns`) is in [`Metadata::extra`].
    pub async fn call_with<F: ApiFunction>(
        &self,
        request: &F,
        options: &OutputOptions,
    ) -> Result<Response<F::Data>, Error>
    where
        F::Data: Default,
    {
        let mut query = QueryBuilder::new();
        request.to_query(&mut query);
        options.to_query(&mut query);
        self.typed::<F>(&query).await
    }

    /// Pages through a list function's records, `page_size` at a time (0 is
    /// WHM's default of 100), with `options`' filters, sorts and columns
    /// applied on the server to the whole list before it is cut into pages.
    ///
    /// Each page is one call of the function. The pager sets the page itself
    /// (a page set in `options` is replaced) and asks WHM to describe it
    /// (`api.chunk.verbose`), and stops after the last page that description
    /// counts, at an empty page, or when the server answers another page than
    /// the one asked for (the list shrank while paging).
    ///
    /// ```no_run
    /// # use whm_runtime::client::Client;
    /// # use whm_runtime::output_options::{OutputOptions, Sort, SortMethod};
    /// # async fn run<F: whm_runtime::ListFunction>(client: Client, request: F) -> Result<(), whm_runtime::client::Error>
    /// # where F::Data: Default, F::Record: std::fmt::Debug {
    /// let options = OutputOptions::new().sort(Sort::new("user", SortMethod::Lexicographic));
    /// let mut pages = client.pages(request, options, 50);
    /// while let Some(page) = pages.next_page().await? {
    ///     println!("page {} of {}: {:?}", page.number, page.pages, page.records);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages<F: ListFunction>(
        &self,
        request: F,
        options: OutputOptions,
        page_size: u64,
    ) -> Pages<F> {
        Pages {
            client: self.clone(),
            request,
            options,
            size: page_size,
            next: Some(1),
        }
    }
}

/// The pages of a list function's records, fetched one call each
/// ([`Client::pages`]). It owns a clone of the client, so its futures can be
/// spawned.
#[derive(Debug)]
pub struct Pages<F> {
    client: Client,
    request: F,
    options: OutputOptions,
    size: u64,
    /// The page to fetch next, counting from 1; `None` once the last was sent.
    next: Option<u64>,
}

/// One page of records.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    /// The page's records, in the order sent.
    pub records: Vec<R>,
    /// The page's number, counting from 1.
    pub number: u64,
    /// How many pages the list has (1 from a server that does not page).
    pub pages: u64,
    /// How many records the whole list has, after filtering.
    pub total: u64,
    /// The answer's whole `metadata`, with WHM's `chunk` description.
    pub metadata: Metadata,
}

impl<F> Pages<F>
where
    F: ListFunction,
    F::Data: Default,
{
    /// Fetches the next page; `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Page<F::Record>>, Error> {
        let Some(number) = self.next else {
            return Ok(None);
        };
        // `verbose` makes WHM describe the page in `metadata.chunk`; the pager
        // stops by the page count written there, not by an empty page, because
        // WHM answers a page past the end with the first page again.
        let mut options = self.options.clone().page_number(self.size, number);
        options.verbose.chunk = true;
        let response = self.client.call_with(&self.request, &options).await?;
        let records = F::into_records(response.data);
        self.next = None;
        if records.is_empty() {
            return Ok(None);
        }
        let about = response.metadata.extra.get("chunk");
        // WHM may send numbers as text; `crate::wire` reads them so elsewhere.
        let count = |key: &str| {
            let value = about?.get(key)?;
            value
                .as_u64()
                .or_else(|| value.as_str()?.trim().parse().ok())
        };
        let (pages, total) = match (count("chunks"), count("records"), count("current")) {
            (Some(pages), Some(total), Some(current)) if current == number => (pages, total),
            // Another page than the one asked for: the list shrank past it and
            // WHM sent the first page again.
            (Some(_), Some(_), Some(_)) => return Ok(None),
            // A server that ignores the options sent the whole list at once.
            _ if number == 1 => (1, records.len() as u64),
            _ => return Ok(None),
        };
        self.next = (number < pages).then_some(number + 1);
        Ok(Some(Page {
            number,
            pages,
            total,
            records,
            metadata: response.metadata,
        }))
    }

    /// Fetches every remaining page and returns their records in order.
    pub async fn all(mut self) -> Result<Vec<F::Record>, Error> {
        let mut records = Vec::new();
        while let Some(page) = self.next_page().await? {
            records.extend(page.records);
        }
        Ok(records)
    }
}
