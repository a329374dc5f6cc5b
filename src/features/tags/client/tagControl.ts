/** The tag query as the Search tab uses it: the words in force (kept in the URL, `tags=`), and how to change them. */
export interface TagControl {
  readonly query: string | null;
  /** A new tag query (null or blank clears it): its results replace an image query's. */
  change(query: string | null): void;
}
