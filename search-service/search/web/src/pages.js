// A list answered page by page over /v1/products/search (products, the cattle market, a storefront):
// the first page of a search, "load more" appending the next ones (no item twice), and every search of
// this visit remembered with the pages loaded, so Back returns to the same list at the same length.

import { Channel } from "./api.js";
import { urlOf } from "./params.js";

const PATH = "/v1/products/search";
const SNAPSHOTS = 20;

export class Pages {
  constructor() {
    this.channel = new Channel();
    this.snapshots = new Map();
    this.params = null; // the first page's parameters of what is shown
    this.items = [];
    this.ids = new Set();
    this.first = null; // the first page's answer (its `query` and facets)
    this.last = null; // the latest page's answer (its cursor)
    this.ran = false;
  }

  /** The address of what is shown (its first page), to compare with what the view asks. */
  shown() {
    return this.params ? urlOf(PATH, this.params) : null;
  }

  wants(params) {
    return this.shown() !== urlOf(PATH, params);
  }

  clear() {
    this.params = null;
    this.items = [];
    this.ids = new Set();
    this.first = null;
    this.last = null;
  }

  /**
   * Load the first page of `params` (or, with `more`, the next page of what is shown). `again`: a list
   * this visit already had will do. Resolves to true when the list changed, false when a newer search
   * superseded this one; throws the channel's ApiError.
   */
  async load(params, { more = false, again = false, onWait } = {}) {
    this.ran = true;
    const key = urlOf(PATH, params);
    if (!more && again && this.snapshots.has(key)) {
      Object.assign(this, this.snapshots.get(key), { ids: new Set(this.snapshots.get(key).ids) });
      this.items = [...this.items];
      return true;
    }
    const asked = more ? { ...this.params, cursor: this.last.next_cursor } : params;
    const body = await this.channel.get(PATH, asked, { onWait, again });
    if (body === null) return false;
    if (!more) {
      this.params = params;
      this.items = [];
      this.ids = new Set();
      this.first = body;
    }
    for (const item of body.results) {
      if (!this.ids.has(item.id)) {
        this.ids.add(item.id);
        this.items.push(item);
      }
    }
    this.last = body;
    this.snapshots.delete(key);
    this.snapshots.set(urlOf(PATH, this.params), { params: this.params, items: [...this.items], ids: [...this.ids], first: this.first, last: this.last });
    if (this.snapshots.size > SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value);
    return true;
  }
}
