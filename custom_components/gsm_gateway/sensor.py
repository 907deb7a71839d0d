"""Sensors: per-port radio and SIM figures, per-gateway load and queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import (
    CallState,
    Capability,
    DeviceStatus,
    NetworkType,
    Port,
    PortStatistics,
    Registration,
)
from .const import CONF_BALANCE_CODE, CONF_CURRENCY, SIGNAL_BALANCE
from .coordinator import GatewayStatus, GsmStatisticsCoordinator
from .entity import (
    GsmGatewayEntity,
    GsmPortEntity,
    GsmPortStatisticsEntity,
    ShowsNoCoordinatorData,
    async_add_port_entities,
)
from .runtime import GsmGatewayConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class GsmPortSensorDescription(SensorEntityDescription):
    """A per-port sensor: how to read it and whether a port has it."""

    value_fn: Callable[[Port], StateType]
    exists_fn: Callable[[Port], bool] = lambda _port: True
    # What the family must report for the sensor to exist.
    needs: Capability | None = None
    # The device's own code behind an `unknown` state, kept as an attribute.
    raw_fn: Callable[[Port], str | None] | None = None


@dataclass(frozen=True, kw_only=True)
class GsmStatisticsSensorDescription(SensorEntityDescription):
    """A counter the gateway keeps per port."""

    value_fn: Callable[[PortStatistics], StateType]


@dataclass(frozen=True, kw_only=True)
class GsmGatewaySensorDescription(SensorEntityDescription):
    """A per-gateway sensor, for families that report what it shows."""

    value_fn: Callable[[GatewayStatus], StateType]
    needs: Capability = Capability.DEVICE_STATUS


def _credit(
    key: str, value_fn: Callable[[Port], StateType]
) -> GsmPortSensorDescription:
    """A counter the gateway keeps per port: diagnostic, off by default."""
    return GsmPortSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=value_fn,
        needs=Capability.CREDIT_COUNTERS,
    )


def _identity(
    key: str, value_fn: Callable[[Port], StateType]
) -> GsmPortSensorDescription:
    """An identifier of the module or SIM."""
    return GsmPortSensorDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=value_fn,
    )


PORT_SENSORS: tuple[GsmPortSensorDescription, ...] = (
    GsmPortSensorDescription(
        key="signal",
        translation_key="signal",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda port: port.signal_dbm,
        needs=Capability.SIGNAL,
    ),
    GsmPortSensorDescription(
        key="registration",
        translation_key="registration",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in Registration],
        value_fn=lambda port: port.registration.value,
        raw_fn=lambda port: (
            port.registration_raw if port.registration is Registration.UNKNOWN else None
        ),
    ),
    GsmPortSensorDescription(
        key="call_state",
        translation_key="call_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in CallState],
        value_fn=lambda port: port.call_state.value,
        raw_fn=lambda port: (
            port.call_state_raw if port.call_state is CallState.UNKNOWN else None
        ),
        needs=Capability.CALL_STATE,
    ),
    GsmPortSensorDescription(
        key="network_type",
        translation_key="network_type",
        device_class=SensorDeviceClass.ENUM,
        options=[kind.value for kind in NetworkType],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda port: port.network_type.value,
        needs=Capability.NETWORK_INFO,
    ),
    _identity("imsi", lambda port: port.imsi),
    _identity("iccid", lambda port: port.iccid),
    _identity("imei", lambda port: port.imei),
    _identity("phone_number", lambda port: port.phone_number),
    GsmPortSensorDescription(
        key="operator",
        translation_key="operator",
        value_fn=lambda port: port.operator,
        needs=Capability.OPERATOR,
    ),
    GsmPortSensorDescription(
        key="sim_slot",
        translation_key="sim_slot",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda port: port.sim_slot,
        exists_fn=lambda port: port.sim_slot is not None,
    ),
    _credit("remaining_credit", lambda port: port.credits.remaining_credit),
    _credit(
        "remaining_monthly_credit", lambda port: port.credits.remaining_monthly_credit
    ),
    _credit("remaining_daily_credit", lambda port: port.credits.remaining_daily_credit),
    _credit(
        "remaining_daily_call_time",
        lambda port: port.credits.remaining_daily_call_time,
    ),
    _credit(
        "remaining_hourly_call_time",
        lambda port: port.credits.remaining_hourly_call_time,
    ),
    _credit(
        "remaining_daily_connections",
        lambda port: port.credits.remaining_daily_connections,
    ),
)


def _counter(
    key: str,
    value_fn: Callable[[PortStatistics], StateType],
    *,
    enabled: bool = False,
    state_class: SensorStateClass = SensorStateClass.TOTAL_INCREASING,
    unit: str | None = None,
) -> GsmStatisticsSensorDescription:
    """A counter of the gateway's statistics."""
    return GsmStatisticsSensorDescription(
        key=key,
        translation_key=key,
        state_class=state_class,
        native_unit_of_measurement=unit,
        entity_registry_enabled_default=enabled,
        value_fn=value_fn,
    )


STATISTICS_SENSORS: tuple[GsmStatisticsSensorDescription, ...] = (
    _counter("sms_sent", lambda stats: stats.sms_sent, enabled=True),
    _counter("sms_sent_failed", lambda stats: stats.sms_sent_failed, enabled=True),
    _counter("sms_received", lambda stats: stats.sms_received, enabled=True),
    _counter("sms_sent_ok", lambda stats: stats.sms_sent_ok),
    _counter(
        "sms_failed_in_a_row",
        lambda stats: stats.sms_failed_in_a_row,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    _counter("calls", lambda stats: stats.calls),
    _counter("calls_connected", lambda stats: stats.calls_connected),
    _counter(
        "asr",
        lambda stats: stats.asr,
        state_class=SensorStateClass.MEASUREMENT,
        unit=PERCENTAGE,
    ),
    _counter(
        "acd",
        lambda stats: stats.acd,
        state_class=SensorStateClass.MEASUREMENT,
        unit=UnitOfTime.SECONDS,
    ),
)


def _load(
    key: str, value_fn: Callable[[DeviceStatus], float | None]
) -> GsmGatewaySensorDescription:
    """A load figure of the gateway, in percent."""
    return GsmGatewaySensorDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: value_fn(status.device) if status.device else None,
    )


GATEWAY_SENSORS: tuple[GsmGatewaySensorDescription, ...] = (
    GsmGatewaySensorDescription(
        key="sms_queue",
        translation_key="sms_queue",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda status: status.sms_queue,
        needs=Capability.SEND_QUEUE,
    ),
    _load("cpu_usage", lambda device: device.cpu_usage),
    _load("memory_usage", lambda device: device.memory_usage),
    _load("flash_usage", lambda device: device.flash_usage),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the gateway's sensors and every port's."""
    gateway = entry.runtime_data.gateway
    if (status := entry.runtime_data.status) is not None:
        async_add_entities(
            GsmGatewaySensor(status, description)
            for description in GATEWAY_SENSORS
            if gateway.supports(description.needs)
        )
    currency = entry.options.get(CONF_CURRENCY) or None
    balance = GsmPortSensorDescription(
        key="balance",
        translation_key="balance",
        device_class=SensorDeviceClass.MONETARY if currency else None,
        native_unit_of_measurement=currency,
        state_class=None if currency else SensorStateClass.MEASUREMENT,
        value_fn=lambda port: port.balance,
        needs=Capability.BALANCE,
    )
    async_add_port_entities(
        entry,
        async_add_entities,
        (*PORT_SENSORS, balance),
        GsmPortSensor,
        lambda description, port: (
            (description.needs is None or gateway.supports(description.needs))
            and description.exists_fn(port)
        ),
    )
    if (
        not gateway.supports(Capability.BALANCE)
        and gateway.supports(Capability.USSD)
        and entry.options.get(CONF_BALANCE_CODE)
    ):
        # The balance as USSD replies tell it, for families that read none.
        async_add_port_entities(entry, async_add_entities, (balance,), GsmBalanceSensor)
    if (statistics := entry.runtime_data.statistics) is not None:
        _add_statistics_sensors(entry, statistics, async_add_entities)


def _add_statistics_sensors(
    entry: GsmGatewayConfigEntry,
    coordinator: GsmStatisticsCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Counters for every port the statistics know, now and when one appears."""
    known: set[int] = set()

    def add_new_ports() -> None:
        new = set(coordinator.data or {}) - known
        known.update(new)
        async_add_entities(
            GsmStatisticsSensor(coordinator, number, description)
            for number in sorted(new)
            for description in STATISTICS_SENSORS
        )

    add_new_ports()
    entry.async_on_unload(coordinator.async_add_listener(add_new_ports))


class GsmPortSensor(GsmPortEntity, SensorEntity):
    """A sensor of one port."""

    def shown_value(self) -> object:
        """The value a coordinator update may change."""
        return self.native_value, self.extra_state_attributes

    entity_description: GsmPortSensorDescription

    @property
    def native_value(self) -> StateType:
        """The port's current value."""
        return self.entity_description.value_fn(self.port)

    @property
    def extra_state_attributes(self) -> dict[str, str] | None:
        """The device's own code where the state is `unknown`."""
        raw_fn = self.entity_description.raw_fn
        if raw_fn is None or (raw := raw_fn(self.port)) is None:
            return None
        return {"raw_state": raw}


class GsmGatewaySensor(GsmGatewayEntity, SensorEntity):
    """A sensor of the gateway."""

    def shown_value(self) -> object:
        """The value a coordinator update may change."""
        return self.native_value

    entity_description: GsmGatewaySensorDescription

    @property
    def native_value(self) -> StateType:
        """The gateway's current value."""
        return self.entity_description.value_fn(self.coordinator.data)


class GsmBalanceSensor(ShowsNoCoordinatorData, GsmPortEntity, RestoreSensor):
    """The SIM's balance with the operator, read from USSD replies."""

    _attr_native_value: float | None = None

    async def async_added_to_hass(self) -> None:
        """Start from the last known balance; follow new replies."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_sensor_data()) is not None:
            value = last.native_value
            self._attr_native_value = (
                float(value) if isinstance(value, int | float) else None
            )
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                SIGNAL_BALANCE.format(self.coordinator.config_entry.entry_id),
                self._async_balance,
            )
        )

    @callback
    def _async_balance(self, port: int) -> None:
        if port != self.port_number:
            return
        messaging = self.coordinator.config_entry.runtime_data.messaging
        self._attr_native_value = messaging.balances[port]
        self.async_write_ha_state()


class GsmStatisticsSensor(GsmPortStatisticsEntity, SensorEntity):
    """A counter of one port."""

    entity_description: GsmStatisticsSensorDescription

    def shown_value(self) -> object:
        """The value a coordinator update may change."""
        return self.native_value

    @property
    def native_value(self) -> StateType:
        """The port's counter."""
        return self.entity_description.value_fn(self.coordinator.data[self.port_number])
