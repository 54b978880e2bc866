// Package picklist turns orders into pick lists sorted for a walk through the
// warehouse and exports them as CSV, gzip-compressed CSV or JSON.
package picklist

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"

	"example.com/inventory/internal/stock"
)

// Item is one order line.
type Item struct {
	SKU stock.SKU `json:"sku"`
	Qty int       `json:"qty"`
}

// Order is a customer order to be picked in one warehouse.
type Order struct {
	ID        string `json:"id"`
	Warehouse string `json:"warehouse"`
	Items     []Item `json:"items"`
}

// Line is one row of a pick list.
type Line struct {
	Order     string    `json:"order"`
	Warehouse string    `json:"warehouse"`
	Bin       string    `json:"bin"`
	SKU       stock.SKU `json:"sku"`
	Qty       int       `json:"qty"`
}

// Format is an export format.
type Format string

// Supported export formats.
const (
	FormatCSV  Format = "csv"
	FormatGzip Format = "csv.gz"
	FormatJSON Format = "json"
)

// BinLocator returns the bin that holds sku in a warehouse.
type BinLocator func(warehouse string, sku stock.SKU) string

// Build expands orders into pick lines and sorts them for the picker's walk.
func Build(orders []Order, bins BinLocator) []Line {
	var lines []Line
	for _, o := range orders {
		for _, it := range o.Items {
			if it.Qty <= 0 {
				continue
			}
			lines = append(lines, Line{
				Order:     o.ID,
				Warehouse: o.Warehouse,
				Bin:       safeBin(bins, o.Warehouse, it.SKU),
				SKU:       it.SKU,
				Qty:       it.Qty,
			})
		}
	}
	SortForWalk(lines)
	return lines
}

// safeBin asks the locator for the bin of sku. A locator that panics on bad
// slotting data yields an empty bin, which sorts first on the walk.
func safeBin(bins BinLocator, wh string, sku stock.SKU) (bin string) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return bins(wh, sku)
}

// SortForWalk orders lines by warehouse, then bin, then order.
func SortForWalk(lines []Line) {
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if a.Warehouse != b.Warehouse {
			return a.Warehouse < b.Warehouse
		}
		if a.Bin != b.Bin {
			return a.Bin < b.Bin
		}
		return a.Order < b.Order
	})
}

// SplitByWarehouse groups lines per warehouse, keeping their order.
func SplitByWarehouse(lines []Line) map[string][]Line {
	out := make(map[string][]Line)
	for _, l := range lines {
		out[l.Warehouse] = append(out[l.Warehouse], l)
	}
	return out
}

// record renders a line as CSV fields.
func (l Line) record() []string {
	return []string{l.Warehouse, l.Bin, string(l.SKU), strconv.Itoa(l.Qty), l.Order}
}

var header = []string{"warehouse", "bin", "sku", "qty", "order"}

// WriteCSV writes lines as CSV with a header row.
func WriteCSV(w io.Writer, lines []Line) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, l := range lines {
		if err := cw.Write(l.record()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes lines as a JSON array.
func writeJSON(w io.Writer, lines []Line) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(lines)
}

// writeFormat writes lines to w in the requested format.
func writeFormat(w io.Writer, f Format, lines []Line) error {
	switch f {
	case FormatCSV:
		return WriteCSV(w, lines)
	case FormatGzip:
		return ExportTo(w, lines)
	case FormatJSON:
		return writeJSON(w, lines)
	default:
		return fmt.Errorf("picklist: unsupported format %q", f)
	}
}
