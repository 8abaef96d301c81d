// Package accessibility holds the site's accessibility tests: axe-core on
// every kind of page in both themes at three widths, the keyboard, and no
// page wider than a phone. They drive a real browser and take minutes, so
// they are a package of their own, with go test's time budget of their own.
package accessibility
