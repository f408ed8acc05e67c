//! Go's `sort.Stable` and `sort.IsSorted`, for the evaluator's `list.Sort`/`SortStable`/`IsSorted`.
//!
//! cue sorts with `sort.Stable` (insertion-sorted blocks of 20, then in-place `symMerge`) calling
//! a user-written comparator. Replaying the same algorithm makes the result identical to cue's
//! even when the comparator is not a strict weak order, and unlike `slice::sort_by` it can never
//! panic on an inconsistent comparator. The comparator may fail: as in cue, the first error makes
//! that comparison `true`, later ones `false`, and the error is returned at the end.

/// Adapts a fallible `less` to Go's `Interface.Less` semantics after an error.
struct Sorter<'a, T, E, F: FnMut(&T, &T) -> Result<bool, E>> {
    data: &'a mut [T],
    less: F,
    err: Option<E>,
}

impl<T, E, F: FnMut(&T, &T) -> Result<bool, E>> Sorter<'_, T, E, F> {
    fn less(&mut self, i: usize, j: usize) -> bool {
        if self.err.is_some() {
            return false;
        }
        match (self.less)(&self.data[i], &self.data[j]) {
            Ok(b) => b,
            Err(e) => {
                self.err = Some(e);
                true
            }
        }
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.data.swap(i, j);
    }

    fn insertion_sort(&mut self, a: usize, b: usize) {
        for i in a + 1..b {
            let mut j = i;
            while j > a && self.less(j, j - 1) {
                self.swap(j, j - 1);
                j -= 1;
            }
        }
    }

    fn sym_merge(&mut self, a: usize, m: usize, b: usize) {
        if m - a == 1 {
            let (mut i, mut j) = (m, b);
            while i < j {
                let h = (i + j) / 2;
                if self.less(h, a) {
                    i = h + 1;
                } else {
                    j = h;
                }
            }
            for k in a..i.saturating_sub(1) {
                self.swap(k, k + 1);
            }
            return;
        }
        if b - m == 1 {
            let (mut i, mut j) = (a, m);
            while i < j {
                let h = (i + j) / 2;
                if !self.less(m, h) {
                    i = h + 1;
                } else {
                    j = h;
                }
            }
            let mut k = m;
            while k > i {
                self.swap(k, k - 1);
                k -= 1;
            }
            return;
        }
        let mid = (a + b) / 2;
        let n = mid + m;
        let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
        let p = n - 1;
        while start < r {
            let c = (start + r) / 2;
            if !self.less(p - c, c) {
                start = c + 1;
            } else {
                r = c;
            }
        }
        let end = n - start;
        if start < m && m < end {
            self.rotate(start, m, end);
        }
        if a < start && start < mid {
            self.sym_merge(a, start, mid);
        }
        if mid < end && end < b {
            self.sym_merge(mid, end, b);
        }
    }

    fn swap_range(&mut self, a: usize, b: usize, n: usize) {
        for i in 0..n {
            self.swap(a + i, b + i);
        }
    }

    fn rotate(&mut self, a: usize, m: usize, b: usize) {
        let (mut i, mut j) = (m - a, b - m);
        while i != j {
            if i > j {
                self.swap_range(m - i, m, j);
                i -= j;
            } else {
                self.swap_range(m - i, m + j - i, i);
                j -= i;
            }
        }
        self.swap_range(m - i, m, i);
    }
}

/// Sorts `data` exactly as Go's `sort.Stable` would with this `less`.
pub fn go_stable_sort<T, E>(
    data: &mut [T],
    less: impl FnMut(&T, &T) -> Result<bool, E>,
) -> Result<(), E> {
    let n = data.len();
    let mut s = Sorter {
        data,
        less,
        err: None,
    };
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        s.insertion_sort(a, b);
        a = b;
        b += block;
    }
    s.insertion_sort(a, n);
    while block < n {
        let (mut a, mut b) = (0, 2 * block);
        while b <= n {
            s.sym_merge(a, a + block, b);
            a = b;
            b += 2 * block;
        }
        let m = a + block;
        if m < n {
            s.sym_merge(a, m, n);
        }
        block *= 2;
    }
    match s.err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Go's `sort.IsSorted`: no element is less than its predecessor (checked from the end).
pub fn go_is_sorted<T, E>(
    data: &[T],
    mut less: impl FnMut(&T, &T) -> Result<bool, E>,
) -> Result<bool, E> {
    for i in (1..data.len()).rev() {
        if less(&data[i], &data[i - 1])? {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_correct() {
        // Pairs (key, original position): equal keys keep their order.
        let mut v: Vec<(i32, usize)> = (0..200).map(|i| (((i * 7919) % 13) as i32, i)).collect();
        let r: Result<(), ()> = go_stable_sort(&mut v, |a, b| Ok(a.0 < b.0));
        assert!(r.is_ok());
        assert!(v
            .windows(2)
            .all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
        assert_eq!(
            go_is_sorted(&v, |a: &(i32, usize), b| Ok::<_, ()>(a.0 < b.0)),
            Ok(true)
        );
    }

    #[test]
    fn inconsistent_comparators_do_not_panic() {
        let mut v: Vec<i32> = (0..100).rev().collect();
        let r: Result<(), ()> = go_stable_sort(&mut v, |a, b| Ok((a ^ b) & 1 == 0 || a < b));
        assert!(r.is_ok());
        let mut calls = 0;
        let r = go_stable_sort(&mut v, |_, _| {
            calls += 1;
            if calls == 5 {
                Err("boom")
            } else {
                Ok(false)
            }
        });
        assert_eq!(r, Err("boom"));
    }

    #[test]
    fn descending_order() {
        let mut v = vec![3, 1, 2, 5, 4];
        let r: Result<(), ()> = go_stable_sort(&mut v, |a, b| Ok(a > b));
        assert!(r.is_ok());
        assert_eq!(v, [5, 4, 3, 2, 1]);
    }
}
