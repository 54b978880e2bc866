package book

// level is the FIFO queue of orders resting at one price.
type level struct {
	price  int64
	orders []*Order
}

func (l *level) push(o *Order) {
	l.orders = append(l.orders, o)
}

func (l *level) front() *Order {
	if len(l.orders) == 0 {
		return nil
	}
	return l.orders[0]
}

func (l *level) popFront() {
	l.orders[0] = nil
	l.orders = l.orders[1:]
}

// remove drops the order with the given id, keeping time priority of the rest.
func (l *level) remove(id uint64) bool {
	for i, o := range l.orders {
		if o.ID == id {
			copy(l.orders[i:], l.orders[i+1:])
			l.orders[len(l.orders)-1] = nil
			l.orders = l.orders[:len(l.orders)-1]
			return true
		}
	}
	return false
}

func (l *level) volume() int64 {
	var v int64
	for _, o := range l.orders {
		v += o.Remaining()
	}
	return v
}
