// Package order holds the domain model of the order-processing service.
package order

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Status is the lifecycle state of an order.
type Status string

// Order states. New orders can be paid or cancelled; paid orders can be
// shipped or cancelled (refund); shipped and cancelled are terminal.
const (
	StatusNew       Status = "new"
	StatusPaid      Status = "paid"
	StatusShipped   Status = "shipped"
	StatusCancelled Status = "cancelled"
)

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("order: invalid")

// ErrTransition is returned for a status change the lifecycle forbids.
var ErrTransition = errors.New("order: transition not allowed")

// Item is one order line.
type Item struct {
	SKU        string `json:"sku"`
	Qty        int    `json:"qty"`
	PriceCents int64  `json:"price_cents"`
}

// Order is a customer order.
type Order struct {
	ID       string    `json:"id"`
	Customer string    `json:"customer"`
	Items    []Item    `json:"items"`
	Status   Status    `json:"status"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// Total returns the order value in cents.
func (o *Order) Total() int64 {
	var sum int64
	for _, it := range o.Items {
		sum += int64(it.Qty) * it.PriceCents
	}
	return sum
}

// Validate checks the invariants every stored order must hold.
func (o *Order) Validate() error {
	if strings.TrimSpace(o.Customer) == "" {
		return fmt.Errorf("%w: missing customer", ErrInvalid)
	}
	if len(o.Items) == 0 {
		return fmt.Errorf("%w: no items", ErrInvalid)
	}
	seen := make(map[string]bool, len(o.Items))
	for i, it := range o.Items {
		switch {
		case it.SKU == "":
			return fmt.Errorf("%w: item %d has no SKU", ErrInvalid, i)
		case it.Qty <= 0:
			return fmt.Errorf("%w: item %s has quantity %d", ErrInvalid, it.SKU, it.Qty)
		case it.PriceCents < 0:
			return fmt.Errorf("%w: item %s has a negative price", ErrInvalid, it.SKU)
		case seen[it.SKU]:
			return fmt.Errorf("%w: duplicate SKU %s", ErrInvalid, it.SKU)
		}
		seen[it.SKU] = true
	}
	if _, err := ParseStatus(string(o.Status)); err != nil && o.Status != "" {
		return err
	}
	return nil
}

// Transition moves the order to status to, stamping the update time.
func (o *Order) Transition(to Status, at time.Time) error {
	if !canTransition(o.Status, to) {
		return fmt.Errorf("%w: %s -> %s", ErrTransition, o.Status, to)
	}
	o.Status = to
	o.Updated = at
	return nil
}

func canTransition(from, to Status) bool {
	switch from {
	case "", StatusNew:
		return to == StatusPaid || to == StatusCancelled
	case StatusPaid:
		return to == StatusShipped || to == StatusCancelled
	default:
		return false
	}
}

// Clone returns a deep copy, so callers can not alias a stored order's items.
func (o Order) Clone() Order {
	c := o
	if o.Items != nil {
		c.Items = make([]Item, len(o.Items))
		copy(c.Items, o.Items)
	}
	return c
}

// ParseStatus converts user input into a Status.
func ParseStatus(s string) (Status, error) {
	switch st := Status(strings.ToLower(strings.TrimSpace(s))); st {
	case StatusNew, StatusPaid, StatusShipped, StatusCancelled:
		return st, nil
	default:
		return "", fmt.Errorf("%w: unknown status %q", ErrInvalid, s)
	}
}

// NewID builds a sortable order id from a sequence number and a timestamp.
func NewID(seq uint64, t time.Time) string {
	return fmt.Sprintf("ord-%s-%06d", t.UTC().Format("20060102"), seq)
}

// Terminal reports whether no further transitions are possible.
func (s Status) Terminal() bool {
	return s == StatusShipped || s == StatusCancelled
}
