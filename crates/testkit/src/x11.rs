//! The app's top-level window as the X server sees it: whether it is on screen, the close
//! request a window manager sends when the user clicks the title bar's ×, and files dropped on
//! it from another program. Xvfb runs no window manager or file manager, so tests do both.

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

    /// The viewable top-level window titled `title`, if there is one.
    pub fn find_titled(&self, title: &str) -> Option<u64> {
        let root = unsafe { (self.lib.XDefaultRootWindow)(self.display) };
        self.children(root).into_iter().find(|&w| self.is_viewable(w) && self.title(w).as_deref() == Some(title))
    }

    /// Drags `paths` from another X client onto the middle of `window` and drops them, the way a
    /// file manager does: the XDND protocol (version 5) with the files as a `text/uri-list`.
    /// Ok once the window accepted the drop (XdndStatus), fetched the list and said it finished.
    pub fn drop_files(&self, window: u64, paths: &[&std::path::Path]) -> Result<(), String> {
        let (d, lib) = (self.display, &self.lib);
        let root = unsafe { (lib.XDefaultRootWindow)(d) };
        let source = unsafe { (lib.XCreateSimpleWindow)(d, root, 0, 0, 1, 1, 0, 0, 0) };
        let [selection, uri_list, copy, enter, position, status, drop, finished] =
            ["XdndSelection", "text/uri-list", "XdndActionCopy", "XdndEnter", "XdndPosition", "XdndStatus", "XdndDrop", "XdndFinished"].map(|n| self.atom(n));
        unsafe { (lib.XSetSelectionOwner)(d, selection, source, xlib::CurrentTime) };
        // The middle of the window, in root coordinates.
        let mut attributes: xlib::XWindowAttributes = unsafe { std::mem::zeroed() };
        unsafe { (lib.XGetWindowAttributes)(d, window, &mut attributes) };
        let (mut x, mut y, mut child) = (0, 0, 0);
        unsafe { (lib.XTranslateCoordinates)(d, window, root, attributes.width / 2, attributes.height / 2, &mut x, &mut y, &mut child) };
        let send = |kind: xlib::Atom, data: [c_long; 4]| {
            let mut message: xlib::XClientMessageEvent = unsafe { std::mem::zeroed() };
            message.type_ = xlib::ClientMessage;
            message.window = window;
            message.message_type = kind;
            message.format = 32;
            message.data.set_long(0, source as c_long);
            for (i, v) in data.into_iter().enumerate() {
                message.data.set_long(i + 1, v);
            }
            let mut event = xlib::XEvent { client_message: message };
            unsafe {
                (lib.XSendEvent)(d, window, xlib::False, xlib::NoEventMask, &mut event);
                (lib.XFlush)(d);
            }
        };
        let uris: String = paths.iter().map(|p| format!("file://{}\r\n", p.display())).collect();
        send(enter, [5 << 24, uri_list as c_long, 0, 0]);
        send(position, [0, ((x as c_long) << 16) | y as c_long, xlib::CurrentTime as c_long, copy as c_long]);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        // Set once the window accepted the drag and the drop was sent.
        let mut dropped = false;
        let result = loop {
            if std::time::Instant::now() > deadline {
                break Err(format!("no XDND answer in 10 s (window accepted the drag and the drop was sent: {dropped})"));
            }
            if unsafe { (lib.XPending)(d) } == 0 {
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            }
            let mut event: xlib::XEvent = unsafe { std::mem::zeroed() };
            unsafe { (lib.XNextEvent)(d, &mut event) };
            match event.get_type() {
                xlib::ClientMessage => {
                    let message = unsafe { event.client_message };
                    if message.message_type == status && !dropped {
                        if message.data.get_long(1) & 1 == 0 {
                            break Err("the window refused the drop (XdndStatus without accept)".into());
                        }
                        dropped = true;
                        send(drop, [0, xlib::CurrentTime as c_long, 0, 0]);
                    } else if message.message_type == finished {
                        break Ok(());
                    }
                }
                xlib::SelectionRequest => {
                    // The window asks for the dragged data: the file list, written where it asked.
                    let request = unsafe { event.selection_request };
                    let mut reply: xlib::XSelectionEvent = unsafe { std::mem::zeroed() };
                    reply.type_ = xlib::SelectionNotify;
                    reply.requestor = request.requestor;
                    reply.selection = request.selection;
                    reply.target = request.target;
                    reply.time = request.time;
                    reply.property = 0;
                    if request.target == uri_list {
                        unsafe {
                            (lib.XChangeProperty)(d, request.requestor, request.property, uri_list, 8, xlib::PropModeReplace, uris.as_ptr(), uris.len() as c_int)
                        };
                        reply.property = request.property;
                    }
                    let mut event = xlib::XEvent { selection: reply };
                    unsafe {
                        (lib.XSendEvent)(d, request.requestor, xlib::False, xlib::NoEventMask, &mut event);
                        (lib.XFlush)(d);
                    }
                }
                _ => {}
            }
        };
        unsafe {
            (lib.XDestroyWindow)(d, source);
            (lib.XFlush)(d);
        }
        result
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
