package sdk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
)

// Page is one page of a listing.
type Page struct {
	Items []Item `json:"items"`
	Next  string `json:"next,omitempty"`
}

func (c *Client) pagePath(cursor string) string {
	v := url.Values{}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	return "/items?" + v.Encode()
}

// ListAll follows the cursor until the last page.
func (c *Client) ListAll(ctx context.Context) ([]Item, error) {
	var all []Item
	cursor := ""
	for {
		req, err := c.newRequest(ctx, http.MethodGet, c.pagePath(cursor), nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			return nil, decodeError(resp)
		}
		var p Page
		if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			return all, nil
		}
		cursor = p.Next
	}
}

// fetchPage gets one page and closes its body before returning.
func (c *Client) fetchPage(ctx context.Context, cursor string) (Page, error) {
	req, err := c.newRequest(ctx, http.MethodGet, c.pagePath(cursor), nil)
	if err != nil {
		return Page{}, err
	}
	resp, err := c.do(req)
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Page{}, decodeError(resp)
	}
	var p Page
	err = json.NewDecoder(resp.Body).Decode(&p)
	return p, err
}

// EachPage calls fn for every page; each body is closed before the next
// request.
func (c *Client) EachPage(ctx context.Context, fn func(Page) error) error {
	cursor := ""
	for {
		p, err := c.fetchPage(ctx, cursor) // ok: the defer lives in fetchPage
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if p.Next == "" {
			return nil
		}
		cursor = p.Next
	}
}

// FetchMany fetches ids concurrently and returns what arrived before ctx
// ended.
func (c *Client) FetchMany(ctx context.Context, ids []string) ([]*Item, error) {
	out := make(chan *Item, len(ids))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			it, err := c.GetItem(ctx, id)
			if err != nil {
				it = nil
			}
			out <- it
		}()
	}
	var items []*Item
	for range ids {
		select {
		case it := <-out:
			if it != nil {
				items = append(items, it)
			}
		case <-ctx.Done():
			return items, ctx.Err()
		}
	}
	return items, nil
}

// FetchAll waits for every fetch; the channel is closed once all senders
// are done.
func (c *Client) FetchAll(ctx context.Context, ids []string) ([]*Item, error) {
	out := make(chan *Item)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			it, err := c.GetItem(ctx, id)
			if err != nil {
				return
			}
			select {
			case out <- it:
			case <-ctx.Done():
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out) // ok: closed after every sender finished
	}()
	var items []*Item
	for it := range out {
		items = append(items, it)
	}
	return items, ctx.Err()
}
