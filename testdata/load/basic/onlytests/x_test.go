package onlytests

import "testing"

func TestX(t *testing.T) {}
