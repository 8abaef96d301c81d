package shop

import (
	"fmt"
	"strings"
)

// Total adds prices.
func Total(prices []int) int {
	sum := 0
	count := 0
	for _, p := range prices {
		sum += p
	}
	return sum + tax
}

// Label formats a name.
func Label(name string) string {
	return fmt.Sprint(name)
}
