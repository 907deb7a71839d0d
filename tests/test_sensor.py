"""Every entity's state, derived from the simulator's own model of the gateway."""

from __future__ import annotations

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.core import CallState as SimCallState, SimPort
from gsm_simulator.server import Simulator

from .conftest import SimulatorFactory
from .support import find_device

CALL_STATES = {
    SimCallState.IDLE: "idle",
    SimCallState.PROCESSING: "dialing",
    SimCallState.RINGING: "ringing",
    SimCallState.ACTIVE: "active",
    SimCallState.ALERTING: "alerting",
    SimCallState.WAITING: "call_waiting",
    SimCallState.HOLDING: "on_hold",
    SimCallState.UNKNOWN: "unknown",
}


def expected_port_states(port: SimPort) -> dict[str, str]:
    """What each of a port's sensors should show for the simulator's port."""
    sim = port.sim if port.sim_readable else None
    # No reading without a powered module and a SIM (devices write CSQ 0).
    measured = port.registration.value not in ("power_off", "no_sim")
    signal = port.signal if measured and 0 <= port.signal <= 31 else None
    return {
        "signal_strength": str(-113 + 2 * signal)
        if signal is not None
        else STATE_UNKNOWN,
        "registration": port.registration.value,
        "call_state": CALL_STATES[port.call_state],
        "network_type": port.module_type.value.lower(),
        "imei": port.imei,
        "imsi": sim.imsi if sim and sim.imsi else STATE_UNKNOWN,
        "iccid": sim.iccid if sim and sim.iccid else STATE_UNKNOWN,
        "phone_number": sim.number if sim and sim.number else STATE_UNKNOWN,
    }


def state(hass: HomeAssistant, entity_id: str) -> str:
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


async def test_port_sensors_match_gateway(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    assert len(simulator.state.ports) == 8
    for port in simulator.state.ports:
        for key, expected in expected_port_states(port).items():
            entity_id = f"sensor.office_port_{port.index}_{key}"
            assert state(hass, entity_id) == expected, entity_id
        gprs = state(hass, f"binary_sensor.office_port_{port.index}_packet_data")
        assert gprs == (STATE_ON if port.gprs_attached else STATE_OFF)


async def test_gateway_sensors_match_gateway(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    perf = simulator.state.performance
    assert state(hass, "sensor.office_sms_queue") == str(simulator.state.sms_queue)
    assert float(state(hass, "sensor.office_cpu_usage")) == perf.cpu_used
    assert float(state(hass, "sensor.office_memory_usage")) == round(
        100 * perf.memory_used / perf.memory_total, 1
    )
    assert float(state(hass, "sensor.office_flash_usage")) == round(
        100 * perf.flash_used / perf.flash_total, 1
    )


async def test_entity_registry_entries(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    serial = simulator.serial
    signal = entity_registry.async_get("sensor.office_port_0_signal_strength")
    assert signal is not None
    assert signal.unique_id == f"{serial}_0_signal"
    assert signal.translation_key == "signal"
    assert signal.entity_category is None
    imsi = entity_registry.async_get("sensor.office_port_0_imsi")
    assert imsi is not None
    assert imsi.entity_category is EntityCategory.DIAGNOSTIC
    # Gateway counters are diagnostic and off by default.
    credit = entity_registry.async_get("sensor.office_port_0_remaining_credit")
    assert credit is not None
    assert credit.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get("sensor.office_port_0_remaining_credit") is None
    # Single-SIM ports have no slot sensor.
    assert entity_registry.async_get("sensor.office_port_0_sim_slot") is None


async def test_enabled_credit_counters(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    keys = {
        "remaining_credit": "remain_credit",
        "remaining_monthly_credit": "remain_monthly_credit",
        "remaining_daily_credit": "remain_daily_credit",
        "remaining_daily_call_time": "remain_daily_call_time",
        "remaining_hourly_call_time": "remain_hourly_call_time",
        "remaining_daily_connections": "remain_daily_connect",
    }
    for key in keys:
        entity_registry.async_update_entity(
            f"sensor.office_port_1_{key}", disabled_by=None
        )
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    credit = simulator.state.ports[1].credit
    for key, attr in keys.items():
        assert float(state(hass, f"sensor.office_port_1_{key}")) == float(
            getattr(credit, attr)
        )


async def test_devices(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    gateway = find_device(device_registry, {(DOMAIN, simulator.serial)})
    assert gateway is not None
    assert gateway.manufacturer == "Dinstar"
    assert gateway.name == "Office"
    assert gateway.serial_number == simulator.serial
    assert gateway.configuration_url == simulator.url
    port = find_device(device_registry, {(DOMAIN, f"{simulator.serial}_port_3")})
    assert port is not None
    assert port.name == "Office Port 3"
    assert port.via_device_id == gateway.id
    devices = dr.async_entries_for_config_entry(
        device_registry, init_integration.entry_id
    )
    assert len(devices) == 1 + 8


@pytest.mark.parametrize("slots", [4])
async def test_multi_sim_slot_sensor(
    hass: HomeAssistant,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    slots: int,
) -> None:
    sim = await gsm_simulator_factory(dialect="dinstar", ports=2, slots=slots)
    sim.state.set_active_slot(1, 2)
    from .conftest import entry_data  # noqa: PLC0415

    entry = MockConfigEntry(
        domain=DOMAIN, title="Rack", unique_id=sim.serial, data=entry_data(sim)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, "sensor.rack_port_0_sim_slot") == "0"
    assert state(hass, "sensor.rack_port_1_sim_slot") == "2"


async def test_partial_response_shows_unknown(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """A firmware that leaves out fields and writes values we do not know."""
    body = (
        b'{"error_code":200,"sn":"' + simulator.serial.encode() + b'","info":['
        b'{"port":0,"reg":"SOMETHING_NEW","callstate":"Dancing","type":"NR",'
        b'"signal":"n/a"},{"port":1}],}'
    )
    simulator.faults.add("malformed_json", body=body, path="/api/get_port_info")
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, "sensor.office_port_0_registration") == "unknown"
    assert state(hass, "sensor.office_port_0_call_state") == "unknown"
    assert state(hass, "sensor.office_port_0_network_type") == "unknown"
    assert state(hass, "sensor.office_port_0_signal_strength") == STATE_UNKNOWN
    assert state(hass, "sensor.office_port_1_imsi") == STATE_UNKNOWN
    assert state(hass, "binary_sensor.office_port_1_packet_data") == STATE_UNKNOWN
    assert hass.states.get("sensor.office_port_2_registration") is None
