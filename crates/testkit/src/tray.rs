//! A system-tray host for tests: `org.kde.StatusNotifierWatcher` on a private session bus, the
//! service a Linux desktop's panel runs. Apps that show a tray icon (libayatana-appindicator,
//! which Tauri uses) register their `StatusNotifierItem` with it; the test then reads the item's
//! label and its `com.canonical.dbusmenu` menu and clicks menu entries exactly as a panel does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zbus::object_server::SignalEmitter;
use zbus::{OwnedVariant as OwnedValue, Variant as Value};

const WATCHER_PATH: &str = "/StatusNotifierWatcher";
const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
const MENU_INTERFACE: &str = "com.canonical.dbusmenu";

/// A dbusmenu layout node `(ia{sv}av)`: id, properties, children (each a variant of a node).
type LayoutNode = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// Registered items as (bus name, object path).
type Items = Arc<Mutex<Vec<(String, String)>>>;

#[derive(Default)]
struct Watcher {
    items: Items,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    /// Items pass either their object path (appindicator) or a bus name (the item sits at the
    /// spec's default path then).
    async fn register_status_notifier_item(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
        service: String,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let (bus, path) = if service.starts_with('/') { (sender, service) } else { (service, "/StatusNotifierItem".to_owned()) };
        let id = format!("{bus}{path}");
        self.items.lock().unwrap().push((bus, path));
        let _ = Self::status_notifier_item_registered(&emitter, &id).await;
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap().iter().map(|(bus, path)| format!("{bus}{path}")).collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(emitter: &SignalEmitter<'_>, service: &str) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

/// The tray host. Start it before the app so the app finds a tray to register with.
pub struct TrayHost {
    connection: zbus::Connection,
    items: Items,
}

/// One entry of a tray icon's menu as the panel would draw it.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuEntry {
    pub id: i32,
    /// The text shown ("" for a separator), mnemonic underscores removed.
    pub label: String,
    pub separator: bool,
    pub enabled: bool,
    pub visible: bool,
}

/// A registered tray icon.
pub struct TrayItem {
    connection: zbus::Connection,
    pub bus_name: String,
    pub path: String,
}

impl TrayHost {
    pub async fn start(bus_address: &str) -> Self {
        let watcher = Watcher::default();
        let items = watcher.items.clone();
        let connection = zbus::connection::Builder::address(bus_address)
            .serve_at(WATCHER_PATH, watcher)
            .name("org.kde.StatusNotifierWatcher")
            .build()
            .await
            .expect("connect the tray host to the bus");
        Self { connection, items }
    }

    /// The first tray icon that registers within `timeout` (panics without one).
    pub async fn wait_for_item(&self, timeout: Duration) -> TrayItem {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((bus_name, path)) = self.items.lock().unwrap().first().cloned() {
                return TrayItem { connection: self.connection.clone(), bus_name, path };
            }
            assert!(Instant::now() < deadline, "no tray icon registered with the StatusNotifierWatcher within {timeout:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl TrayItem {
    async fn property(&self, interface: &str, name: &str) -> zbus::Result<OwnedValue> {
        let reply = self
            .connection
            .call_method(Some(self.bus_name.as_str()), self.path.as_str(), Some("org.freedesktop.DBus.Properties"), "Get", &(interface, name))
            .await?;
        reply.body().deserialize::<OwnedValue>()
    }

    async fn string_property(&self, name: &str) -> String {
        let value = self.property(ITEM_INTERFACE, name).await.unwrap_or_else(|e| panic!("tray item property {name}: {e}"));
        String::try_from(value).unwrap_or_else(|e| panic!("tray item property {name} is not a string: {e}"))
    }

    /// The text beside the icon (appindicator's label; Tauri's `set_title`).
    pub async fn label(&self) -> String {
        self.string_property("XAyatanaLabel").await
    }

    /// Polls the label until it reads `want` (the app sets the menu entry, the tooltip and the
    /// label one after another, so a test that saw one must wait for the next); panics after `timeout`.
    pub async fn wait_for_label(&self, want: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let label = self.label().await;
            if label == want {
                return;
            }
            assert!(Instant::now() < deadline, "the tray label stayed {label:?}, not {want:?}, for {timeout:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Active, Passive or NeedsAttention.
    pub async fn status(&self) -> String {
        self.string_property("Status").await
    }

    /// The process behind the icon, as the bus knows it.
    pub async fn pid(&self) -> u32 {
        let dbus = zbus::fdo::DBusProxy::new(&self.connection).await.expect("bus proxy");
        let name = zbus::names::BusName::try_from(self.bus_name.as_str()).expect("bus name");
        dbus.get_connection_unix_process_id(name).await.expect("the tray icon's process id")
    }

    /// Whether the icon's owner is still on the bus (it leaves when the app quits).
    pub async fn is_alive(&self) -> bool {
        let dbus = zbus::fdo::DBusProxy::new(&self.connection).await.expect("bus proxy");
        let Ok(name) = zbus::names::BusName::try_from(self.bus_name.as_str()) else { return false };
        dbus.name_has_owner(name).await.unwrap_or(false)
    }

    async fn menu_path(&self) -> String {
        let value = self.property(ITEM_INTERFACE, "Menu").await.expect("tray item has a Menu property");
        zbus::OwnedObjectPath::try_from(value).expect("Menu is an object path").to_string()
    }

    /// The menu's top-level entries, in order.
    pub async fn menu(&self) -> Vec<MenuEntry> {
        let path = self.menu_path().await;
        let names: Vec<&str> = Vec::new();
        let reply = self
            .connection
            .call_method(Some(self.bus_name.as_str()), path.as_str(), Some(MENU_INTERFACE), "GetLayout", &(0i32, 1i32, names))
            .await
            .expect("GetLayout of the tray menu");
        let (_revision, (_id, _props, children)): (u32, LayoutNode) =
            reply.body().deserialize().expect("dbusmenu layout");
        children.into_iter().map(menu_entry).collect()
    }

    /// Polls the menu until one entry's label satisfies `want` (panics after `timeout`).
    pub async fn wait_for_entry(&self, want: impl Fn(&str) -> bool, timeout: Duration) -> MenuEntry {
        let deadline = Instant::now() + timeout;
        loop {
            let menu = self.menu().await;
            if let Some(entry) = menu.iter().find(|e| want(&e.label)) {
                return entry.clone();
            }
            assert!(Instant::now() < deadline, "no tray menu entry as expected within {timeout:?}; the menu: {menu:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What a panel sends when the user picks the entry whose label starts with `label`.
    pub async fn click(&self, label: &str) {
        let entry = self.wait_for_entry(|l| l.starts_with(label), Duration::from_secs(5)).await;
        assert!(entry.enabled && entry.visible, "tray menu entry {label:?} cannot be clicked: {entry:?}");
        let path = self.menu_path().await;
        let timestamp = 0u32;
        self.connection
            .call_method(
                Some(self.bus_name.as_str()),
                path.as_str(),
                Some(MENU_INTERFACE),
                "Event",
                &(entry.id, "clicked", Value::from(0i32), timestamp),
            )
            .await
            .unwrap_or_else(|e| panic!("click on tray menu entry {label:?}: {e}"));
    }
}

/// One menu entry from its layout node; properties left out mean the spec's defaults.
fn menu_entry(node: OwnedValue) -> MenuEntry {
    let (id, props, _children): LayoutNode = Value::from(node).try_into().expect("a dbusmenu layout node");
    let text = |key: &str| props.get(key).and_then(|v| String::try_from(v.clone()).ok());
    let flag = |key: &str| props.get(key).and_then(|v| bool::try_from(v.clone()).ok()).unwrap_or(true);
    MenuEntry {
        id,
        label: text("label").unwrap_or_default().replace('_', ""),
        separator: text("type").as_deref() == Some("separator"),
        enabled: flag("enabled"),
        visible: flag("visible"),
    }
}
