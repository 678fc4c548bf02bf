//! The app's top-level window as the X server sees it: whether it is on screen, and the close
//! request a window manager sends when the user clicks the title bar's ×. Xvfb runs no window
//! manager, so tests send that request themselves.

use std::ffi::CString;
use std::os::raw::{c_int, c_long, c_uchar, c_ulong};
use x11_dl::xlib;

/// A connection to one X display (libX11 loaded at run time, as the app itself loads it).
pub struct X11 {
    lib: xlib::Xlib,
    display: *mut xlib::Display,
}

impl X11 {
    pub fn open(display_name: &str) -> Self {
        let lib = xlib::Xlib::open().expect("load libX11");
        // Xlib's default error handler exits the process; a window that is gone (the app quit)
        // must read as "not on screen" instead, so the test can say what went wrong.
        unsafe { (lib.XSetErrorHandler)(Some(ignore_x_error)) };
        let name = CString::new(display_name).expect("display name");
        let display = unsafe { (lib.XOpenDisplay)(name.as_ptr()) };
        assert!(!display.is_null(), "cannot open X display {display_name}");
        Self { lib, display }
    }

    fn atom(&self, name: &str) -> xlib::Atom {
        let name = CString::new(name).expect("atom name");
        unsafe { (self.lib.XInternAtom)(self.display, name.as_ptr(), xlib::False) }
    }

    /// A 32-bit CARDINAL property's first value.
    fn cardinal(&self, window: xlib::Window, property: &str) -> Option<u64> {
        let (mut actual_type, mut format, mut items, mut after) = (0, 0 as c_int, 0 as c_ulong, 0 as c_ulong);
        let mut data: *mut c_uchar = std::ptr::null_mut();
        let status = unsafe {
            (self.lib.XGetWindowProperty)(
                self.display,
                window,
                self.atom(property),
                0,
                1,
                xlib::False,
                xlib::XA_CARDINAL,
                &mut actual_type,
                &mut format,
                &mut items,
                &mut after,
                &mut data,
            )
        };
        if data.is_null() {
            return None;
        }
        // Xlib hands 32-bit properties back as C longs.
        let value = (status == 0 && format == 32 && items >= 1).then(|| unsafe { *(data as *const c_long) } as u64);
        unsafe { (self.lib.XFree)(data.cast()) };
        value
    }

    fn title(&self, window: xlib::Window) -> Option<String> {
        let mut name: *mut std::os::raw::c_char = std::ptr::null_mut();
        unsafe { (self.lib.XFetchName)(self.display, window, &mut name) };
        if name.is_null() {
            return None;
        }
        let title = unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy().into_owned();
        unsafe { (self.lib.XFree)(name.cast()) };
        Some(title)
    }

    fn children(&self, window: xlib::Window) -> Vec<xlib::Window> {
        let (mut root, mut parent) = (0, 0);
        let mut children: *mut xlib::Window = std::ptr::null_mut();
        let mut count = 0u32;
        let ok = unsafe { (self.lib.XQueryTree)(self.display, window, &mut root, &mut parent, &mut children, &mut count) };
        if ok == 0 || children.is_null() {
            return Vec::new();
        }
        let list = unsafe { std::slice::from_raw_parts(children, count as usize) }.to_vec();
        unsafe { (self.lib.XFree)(children.cast()) };
        list
    }

    /// The top-level window of process `pid` titled `title`, if it exists (mapped or not).
    pub fn find_window(&self, pid: u32, title: &str) -> Option<u64> {
        let root = unsafe { (self.lib.XDefaultRootWindow)(self.display) };
        self.children(root)
            .into_iter()
            .find(|&w| self.cardinal(w, "_NET_WM_PID") == Some(pid as u64) && self.title(w).as_deref() == Some(title))
    }

    /// Whether the window is on screen (mapped and viewable).
    pub fn is_viewable(&self, window: u64) -> bool {
        let mut attributes: xlib::XWindowAttributes = unsafe { std::mem::zeroed() };
        let ok = unsafe { (self.lib.XGetWindowAttributes)(self.display, window, &mut attributes) };
        ok != 0 && attributes.map_state == xlib::IsViewable
    }

    /// What a window manager sends when the user clicks the window's close button:
    /// a WM_PROTOCOLS / WM_DELETE_WINDOW client message. The app decides what closing means.
    pub fn request_close(&self, window: u64) {
        let mut message: xlib::XClientMessageEvent = unsafe { std::mem::zeroed() };
        message.type_ = xlib::ClientMessage;
        message.window = window;
        message.message_type = self.atom("WM_PROTOCOLS");
        message.format = 32;
        message.data.set_long(0, self.atom("WM_DELETE_WINDOW") as c_long);
        message.data.set_long(1, xlib::CurrentTime as c_long);
        let mut event = xlib::XEvent { client_message: message };
        unsafe {
            (self.lib.XSendEvent)(self.display, window, xlib::False, xlib::NoEventMask, &mut event);
            (self.lib.XFlush)(self.display);
        }
    }
}

unsafe extern "C" fn ignore_x_error(_display: *mut xlib::Display, _error: *mut xlib::XErrorEvent) -> c_int {
    0
}

impl Drop for X11 {
    fn drop(&mut self) {
        unsafe { (self.lib.XCloseDisplay)(self.display) };
    }
}
