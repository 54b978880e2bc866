// Go 1.23 loops: range over an integer and over a function iterator. A defer in their bodies
// still runs only when the enclosing function returns.
package fixture

import (
	"fmt"
	"iter"
	"os"
)

func rangeInt(n int) {
	for i := range n {
		defer fmt.Println(i) // want `^the deferred fmt\.Println\(i\) runs only when rangeInt returns`
	}
}

func rangeFunc(seq iter.Seq[string]) {
	for p := range seq {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want `^file f from os\.Open on line 19 stays open until rangeFunc returns`
	}
}

func rangeFuncFixed(seq iter.Seq[string]) {
	for p := range seq {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
		}()
	}
}

func countTo(n int) {
	for i := range n {
		fmt.Println(i)
	}
	defer fmt.Println("done")
}
