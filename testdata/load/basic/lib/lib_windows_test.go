package lib

import "testing"

func TestWindows(t *testing.T) {}
