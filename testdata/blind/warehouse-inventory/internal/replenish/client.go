// Package replenish runs background replenishment: it finds SKUs at their
// reorder point, asks suppliers for quotes and places purchase orders.
package replenish

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"example.com/inventory/internal/stock"
)

// Quote is a supplier's offer for one SKU.
type Quote struct {
	SKU       stock.SKU `json:"sku"`
	UnitPrice float64   `json:"unit_price"`
	LeadDays  int       `json:"lead_days"`
}

// Order is a purchase order line.
type Order struct {
	Warehouse string    `json:"warehouse"`
	SKU       stock.SKU `json:"sku"`
	Qty       int       `json:"qty"`
}

// Client talks to the supplier gateway.
type Client struct {
	base string
	http *http.Client

	orders atomic.Int64 // order submissions attempted, for the metrics page
}

// NewClient returns a client for the gateway at base.
func NewClient(base string, timeout time.Duration) *Client {
	return &Client{base: base, http: &http.Client{Timeout: timeout}}
}

// OrdersAttempted returns how many orders this client tried to place.
func (c *Client) OrdersAttempted() int64 { return c.orders.Load() }

// Quote asks the gateway for the current offer on sku.
func (c *Client) Quote(ctx context.Context, sku stock.SKU) (Quote, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/quotes/"+url.PathEscape(string(sku)), nil)
	if err != nil {
		return Quote{}, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Quote{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Quote{}, fmt.Errorf("replenish: quote %s: %s", sku, resp.Status)
	}
	var q Quote
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&q); err != nil {
		return Quote{}, fmt.Errorf("replenish: quote %s: %w", sku, err)
	}
	return q, nil
}

// PlaceOrder submits a purchase order.
func (c *Client) PlaceOrder(ctx context.Context, o Order) error {
	body, err := json.Marshal(o)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/orders", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	c.orders.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("replenish: place order %s/%s: %w", o.Warehouse, o.SKU, err)
	}
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("replenish: place order %s/%s: %s: %s", o.Warehouse, o.SKU, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
