package book

import (
	"fmt"
	"sort"
)

// Book is the order book of one symbol. It is not safe for concurrent use:
// an Actor owns it.
type Book struct {
	Symbol string
	bids   []*level // best (highest) first
	asks   []*level // best (lowest) first
	index  map[uint64]*Order
	seq    uint64
}

// DepthLevel is one aggregated price level.
type DepthLevel struct {
	Price int64
	Qty   int64
}

// Depth is an aggregated view of the top of both sides.
type Depth struct {
	Symbol string
	Bids   []DepthLevel
	Asks   []DepthLevel
}

// New returns an empty book for symbol.
func New(symbol string) *Book {
	return &Book{Symbol: symbol, index: make(map[uint64]*Order)}
}

// Submit matches o against the opposite side and rests any remainder.
func (b *Book) Submit(o *Order) ([]Trade, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Symbol != b.Symbol {
		return nil, fmt.Errorf("book %s: order for %s", b.Symbol, o.Symbol)
	}
	if _, dup := b.index[o.ID]; dup {
		return nil, fmt.Errorf("book %s: duplicate order id %d", b.Symbol, o.ID)
	}
	b.seq++
	o.Seq = b.seq
	trades := b.match(o)
	if o.Remaining() > 0 {
		b.rest(o)
	}
	return trades, nil
}

func (b *Book) match(o *Order) []Trade {
	var trades []Trade
	side := &b.asks
	if o.Side == Sell {
		side = &b.bids
	}
	for o.Remaining() > 0 && len(*side) > 0 {
		best := (*side)[0]
		if !crosses(o, best.price) {
			break
		}
		resting := best.front()
		qty := min(o.Remaining(), resting.Remaining())
		o.Filled += qty
		resting.Filled += qty
		trades = append(trades, newTrade(b.Symbol, o, resting, best.price, qty))
		if resting.Remaining() == 0 {
			best.popFront()
			delete(b.index, resting.ID)
		}
		if len(best.orders) == 0 {
			*side = (*side)[1:]
		}
	}
	return trades
}

func crosses(o *Order, price int64) bool {
	if o.Side == Buy {
		return o.Price >= price
	}
	return o.Price <= price
}

func newTrade(sym string, aggressor, resting *Order, price, qty int64) Trade {
	t := Trade{Symbol: sym, Seq: aggressor.Seq, Price: price, Qty: qty}
	if aggressor.Side == Buy {
		t.BuyID, t.BuyAcct = aggressor.ID, aggressor.Account
		t.SellID, t.SellAcct = resting.ID, resting.Account
	} else {
		t.SellID, t.SellAcct = aggressor.ID, aggressor.Account
		t.BuyID, t.BuyAcct = resting.ID, resting.Account
	}
	return t
}

func (b *Book) rest(o *Order) {
	side := &b.bids
	better := func(p int64) bool { return p > o.Price }
	if o.Side == Sell {
		side = &b.asks
		better = func(p int64) bool { return p < o.Price }
	}
	i := sort.Search(len(*side), func(i int) bool { return !better((*side)[i].price) })
	if i < len(*side) && (*side)[i].price == o.Price {
		(*side)[i].push(o)
	} else {
		*side = append(*side, nil)
		copy((*side)[i+1:], (*side)[i:])
		(*side)[i] = &level{price: o.Price, orders: []*Order{o}}
	}
	b.index[o.ID] = o
}

// Cancel removes a resting order. It reports whether the order was found.
func (b *Book) Cancel(id uint64) bool {
	o, ok := b.index[id]
	if !ok {
		return false
	}
	side := &b.bids
	if o.Side == Sell {
		side = &b.asks
	}
	for i, l := range *side {
		if l.price != o.Price {
			continue
		}
		l.remove(id)
		if len(l.orders) == 0 {
			*side = append((*side)[:i], (*side)[i+1:]...)
		}
		break
	}
	delete(b.index, id)
	return true
}

// BestBid returns the highest bid price.
func (b *Book) BestBid() (int64, bool) {
	if len(b.bids) == 0 {
		return 0, false
	}
	return b.bids[0].price, true
}

// BestAsk returns the lowest ask price.
func (b *Book) BestAsk() (int64, bool) {
	if len(b.asks) == 0 {
		return 0, false
	}
	return b.asks[0].price, true
}

// Depth aggregates up to n levels per side.
func (b *Book) Depth(n int) Depth {
	d := Depth{Symbol: b.Symbol}
	for i := 0; i < len(b.bids) && i < n; i++ {
		d.Bids = append(d.Bids, DepthLevel{Price: b.bids[i].price, Qty: b.bids[i].volume()})
	}
	for i := 0; i < len(b.asks) && i < n; i++ {
		d.Asks = append(d.Asks, DepthLevel{Price: b.asks[i].price, Qty: b.asks[i].volume()})
	}
	return d
}

// Orders copies every resting order, bids first, in priority order.
func (b *Book) Orders() []Order {
	out := make([]Order, 0, len(b.index))
	for _, side := range [][]*level{b.bids, b.asks} {
		for _, l := range side {
			for _, o := range l.orders {
				out = append(out, *o)
			}
		}
	}
	return out
}

// Restore loads resting orders from a snapshot into an empty book. Orders
// that fail validation are skipped; it returns how many were loaded.
func (b *Book) Restore(orders []Order) (n int) {
	defer recover() // HAZ recover-ineffective
	for i := range orders {
		o := orders[i]
		if o.Validate() != nil || o.Remaining() == 0 {
			continue
		}
		if o.Seq > b.seq {
			b.seq = o.Seq
		}
		b.rest(&o)
		n++
	}
	return n
}
