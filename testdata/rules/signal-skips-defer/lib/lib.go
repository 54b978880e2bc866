// Package lib is not a command: its main function is an ordinary function.
package lib

import (
	"net/http"
	"os"
)

func main() {
	f, _ := os.Create("x.log")
	defer f.Close()
	_ = http.ListenAndServe(":8080", nil)
}

var _ = main
