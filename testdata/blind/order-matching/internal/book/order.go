// Package book implements a price-time priority limit order book and the
// actor that owns one book per symbol.
package book

import (
	"errors"
	"fmt"
)

// Side is the side of an order.
type Side uint8

// Order sides.
const (
	Buy Side = iota + 1
	Sell
)

// String renders the side as used in the wire protocol.
func (s Side) String() string {
	switch s {
	case Buy:
		return "B"
	case Sell:
		return "S"
	default:
		return fmt.Sprintf("Side(%d)", uint8(s))
	}
}

// Opposite returns the side an order of s matches against.
func (s Side) Opposite() Side {
	if s == Buy {
		return Sell
	}
	return Buy
}

// Order is a limit order. Prices are integer ticks.
type Order struct {
	ID      uint64
	Account string
	Symbol  string
	Side    Side
	Price   int64
	Qty     int64
	Filled  int64
	Seq     uint64
}

// Validation errors.
var (
	ErrBadSide  = errors.New("book: invalid side")
	ErrBadPrice = errors.New("book: price must be positive")
	ErrBadQty   = errors.New("book: quantity must be positive")
	ErrNoSymbol = errors.New("book: missing symbol")
)

// Remaining is the open quantity of the order.
func (o *Order) Remaining() int64 {
	return o.Qty - o.Filled
}

// Validate checks the static fields of an incoming order.
func (o *Order) Validate() error {
	switch {
	case o.Symbol == "":
		return ErrNoSymbol
	case o.Side != Buy && o.Side != Sell:
		return ErrBadSide
	case o.Price <= 0:
		return ErrBadPrice
	case o.Qty <= 0 || o.Filled < 0 || o.Filled > o.Qty:
		return ErrBadQty
	}
	return nil
}

// Trade is one execution between a resting and an aggressing order.
type Trade struct {
	Symbol   string
	Seq      uint64
	Price    int64
	Qty      int64
	BuyID    uint64
	SellID   uint64
	BuyAcct  string
	SellAcct string
}
