package order

import (
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func validOrder() Order {
	return Order{
		ID:       "ord-1",
		Customer: "ada",
		Items: []Item{
			{SKU: "book", Qty: 2, PriceCents: 1250},
			{SKU: "pen", Qty: 1, PriceCents: 199},
		},
		Status:  StatusNew,
		Created: t0,
	}
}

func TestTotal(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		want  int64
	}{
		{"empty", nil, 0},
		{"single", []Item{{SKU: "a", Qty: 1, PriceCents: 100}}, 100},
		{"quantity", []Item{{SKU: "a", Qty: 3, PriceCents: 100}}, 300},
		{"mixed", []Item{{SKU: "a", Qty: 2, PriceCents: 5}, {SKU: "b", Qty: 1, PriceCents: 7}}, 17},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Order{Items: tc.items}
			if got := o.Total(); got != tc.want {
				t.Errorf("Total() = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*Order)
		ok     bool
	}{
		{"valid", func(*Order) {}, true},
		{"no customer", func(o *Order) { o.Customer = "  " }, false},
		{"no items", func(o *Order) { o.Items = nil }, false},
		{"empty sku", func(o *Order) { o.Items[0].SKU = "" }, false},
		{"zero qty", func(o *Order) { o.Items[1].Qty = 0 }, false},
		{"negative price", func(o *Order) { o.Items[0].PriceCents = -1 }, false},
		{"duplicate sku", func(o *Order) { o.Items[1].SKU = o.Items[0].SKU }, false},
		{"bad status", func(o *Order) { o.Status = "lost" }, false},
		{"empty status", func(o *Order) { o.Status = "" }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := validOrder()
			tc.mutate(&o)
			err := o.Validate()
			if tc.ok && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if !tc.ok && !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestTransition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{StatusNew, StatusPaid, true},
		{StatusNew, StatusCancelled, true},
		{StatusNew, StatusShipped, false},
		{StatusPaid, StatusShipped, true},
		{StatusPaid, StatusCancelled, true},
		{StatusShipped, StatusCancelled, false},
		{StatusCancelled, StatusPaid, false},
		{"", StatusPaid, true},
	}
	for _, tc := range tests {
		t.Run(string(tc.from)+"->"+string(tc.to), func(t *testing.T) {
			t.Parallel()
			o := validOrder()
			o.Status = tc.from
			at := t0.Add(time.Hour)
			err := o.Transition(tc.to, at)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case !tc.ok && !errors.Is(err, ErrTransition):
				t.Fatalf("err = %v, want ErrTransition", err)
			case tc.ok && (o.Status != tc.to || !o.Updated.Equal(at)):
				t.Fatalf("order not updated: %+v", o)
			case !tc.ok && o.Status != tc.from:
				t.Fatalf("failed transition changed status to %s", o.Status)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]Status{
		"new":        StatusNew,
		" PAID ":     StatusPaid,
		"Shipped":    StatusShipped,
		"cancelled":  StatusCancelled,
		"refunded":   "",
		"":           "",
		"paid-later": "",
	} {
		got, err := ParseStatus(in)
		if got != want {
			t.Errorf("ParseStatus(%q) = %q, want %q", in, got, want)
		}
		if (want == "") != (err != nil) {
			t.Errorf("ParseStatus(%q) error = %v", in, err)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	o := validOrder()
	c := o.Clone()
	c.Items[0].Qty = 99
	if o.Items[0].Qty == 99 {
		t.Fatal("Clone shares the items slice with the original")
	}
	var empty Order
	if empty.Clone().Items != nil {
		t.Fatal("Clone of an order without items allocated a slice")
	}
}

func TestTerminal(t *testing.T) {
	for _, s := range []Status{StatusShipped, StatusCancelled} {
		if !s.Terminal() {
			t.Errorf("%s should be terminal", s)
		}
	}
	for _, s := range []Status{StatusNew, StatusPaid} {
		if s.Terminal() {
			t.Errorf("%s should not be terminal", s)
		}
	}
}

func FuzzParseStatus(f *testing.F) {
	for _, seed := range []string{"new", "PAID", " shipped", "x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStatus(s)
		if err != nil {
			return
		}
		again, err := ParseStatus(string(st))
		if err != nil || again != st {
			t.Fatalf("ParseStatus is not idempotent for %q: %q, %v", s, again, err)
		}
	})
}

func BenchmarkTotal(b *testing.B) {
	o := validOrder()
	for i := 0; i < 50; i++ {
		o.Items = append(o.Items, Item{SKU: "x", Qty: i + 1, PriceCents: 10})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = o.Total()
	}
}
