package order_test

import (
	"fmt"
	"time"

	"example.com/testsuites/order"
)

func ExampleOrder_Total() {
	o := order.Order{Items: []order.Item{
		{SKU: "book", Qty: 2, PriceCents: 1250},
		{SKU: "pen", Qty: 1, PriceCents: 199},
	}}
	fmt.Println(o.Total())
	// Output: 2699
}

func ExampleParseStatus() {
	st, err := order.ParseStatus(" Paid ")
	fmt.Println(st, err)
	_, err = order.ParseStatus("lost")
	fmt.Println(err)
	// Output:
	// paid <nil>
	// order: invalid: unknown status "lost"
}

func ExampleNewID() {
	fmt.Println(order.NewID(42, time.Date(2024, 2, 29, 23, 0, 0, 0, time.UTC)))
	// Output: ord-20240229-000042
}
